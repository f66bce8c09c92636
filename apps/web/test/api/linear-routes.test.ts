/**
 * The Linear routes as Next runs them (the route modules' handlers called with Requests) against
 * real Postgres, the local issuer and the fake Linear (OAuth + GraphQL): install → callback →
 * signed webhooks (good, bad signature, stale, duplicate) → disconnect.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createLinearStore, createSecurityStorage } from '@omakase/db';
import type { LinearStore, OrgId } from '@omakase/domain';
import { aesGcmSecretBox, LINEAR_WEBHOOK_MAX_BYTES, linearDeliveryId, secretContext } from '@omakase/linear';
import { FakeLinear } from '@omakase/linear-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as callback } from '@/app/api/integrations/linear/callback/route';
import { POST as disconnect } from '@/app/api/integrations/linear/disconnect/route';
import { GET as install } from '@/app/api/integrations/linear/install/route';
import { POST as webhook } from '@/app/api/webhooks/linear/route';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

const APP_SECRET = randomBytes(16).toString('hex');
const MASTER_KEY = randomBytes(32).toString('base64');
const noParams = { params: Promise.resolve({}) };

let stack: ApiStack;
let fake: FakeLinear;
let linear: LinearStore;
let orgId: OrgId;
let tokens: { admin: string; member: string; foreign: string };

beforeAll(async () => {
  stack = await startApiStack();
  fake = new FakeLinear();
  await fake.start();
  Object.assign(process.env, {
    OMAKASE_MASTER_KEY: MASTER_KEY,
    LINEAR_CLIENT_ID: fake.oauth.clientId,
    LINEAR_CLIENT_SECRET: fake.oauth.clientSecret,
    LINEAR_WEBHOOK_SECRET: APP_SECRET,
    LINEAR_AUTHORIZE_URL: fake.url,
    LINEAR_OAUTH_URL: fake.url,
    LINEAR_API_URL: `${fake.url}/graphql`,
  });
  linear = createLinearStore(stack.database.url, { maxConnections: 2 });
  orgId = stack.seeded.orgs.org_demo!.id;
  const [admin, member, foreign] = await Promise.all(
    ['admin@demo.local', 'member@demo.local', 'other@other.local'].map((email) =>
      userToken(stack.issuer.url, email, APP_BASE_URL),
    ),
  );
  tokens = { admin: admin!, member: member!, foreign: foreign! };
});
afterAll(async () => {
  await linear?.close();
  await fake?.stop();
  await stack?.stop();
});

const auditOf = async (action: 'integration.connected' | 'integration.disconnected') => {
  const security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  try {
    return await security.forOrg(orgId).audit.list({ action });
  } finally {
    await security.close();
  }
};

const get = (path: string, token: string, cookie?: string) =>
  new Request(new URL(path, APP_BASE_URL), {
    headers: { authorization: `Bearer ${token}`, ...(cookie ? { cookie } : {}) },
  });

/** Install as `token`, follow the fake's consent redirect; the callback URL and the state cookie. */
async function startInstall(token: string) {
  const started = await install(get('/api/integrations/linear/install', token), noParams);
  expect(started.status).toBe(302);
  const authorize = new URL(started.headers.get('location')!);
  expect(authorize.searchParams.get('actor')).toBe('app');
  const consent = await fetch(authorize, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
  return { callbackPath: `${back.pathname}${back.search}`, cookie };
}

function signed(
  body: Record<string, unknown>,
  opts: { secret?: string; timestamp?: number; id?: string } = {},
) {
  const timestamp = opts.timestamp ?? Date.now();
  const raw = JSON.stringify({ ...body, webhookTimestamp: timestamp });
  return new Request(new URL('/api/webhooks/linear', APP_BASE_URL), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'linear-delivery': opts.id ?? randomBytes(8).toString('hex'),
      'linear-signature': createHmac('sha256', opts.secret ?? APP_SECRET)
        .update(raw)
        .digest('hex'),
      'linear-timestamp': String(timestamp),
    },
    body: raw,
  });
}

describe('Linear OAuth routes', () => {
  it('refuses a member (403) and a callback without the browser cookie or from another org', async () => {
    expect((await install(get('/api/integrations/linear/install', tokens.member), noParams)).status).toBe(
      403,
    );
    const { callbackPath, cookie } = await startInstall(tokens.admin);
    const noCookie = await callback(get(callbackPath, tokens.admin), noParams);
    expect(noCookie.status).toBe(403);
    const foreign = await callback(get(callbackPath, tokens.foreign, cookie), noParams);
    expect(foreign.status).toBe(403);
    const tampered = callbackPath.replace(/state=([^&]+)/, (_, s: string) => `state=${s.slice(0, -2)}xx`);
    expect((await callback(get(tampered, tokens.admin, cookie), noParams)).status).toBe(403);
    expect(await linear.connections.get(orgId)).toBeNull();
  });

  it('installs: state checked, code exchanged, tokens sealed at rest, back to settings', async () => {
    const { callbackPath, cookie } = await startInstall(tokens.admin);
    const done = await callback(get(callbackPath, tokens.admin, cookie), noParams);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${APP_BASE_URL}/settings/integrations?linear=connected`);
    const connection = (await linear.connections.get(orgId))!;
    expect(connection).toMatchObject({
      mode: 'oauth',
      linearOrgId: fake.ws.organization.id,
      actorId: fake.ws.appUser.id,
    });
    const box = aesGcmSecretBox(MASTER_KEY);
    const access = await box.open(connection.accessTokenSealed, secretContext(orgId, 'access'));
    expect(access).toMatch(/^lin_oauth_/);
    expect(connection.accessTokenSealed).not.toContain(access);
    expect(await auditOf('integration.connected')).toEqual([
      expect.objectContaining({ target: 'linear', details: expect.objectContaining({ mode: 'oauth' }) }),
    ]);
  });
});

describe('Linear webhook route', () => {
  const issueBody = () => {
    const team = fake.ws.addTeam(`T${randomBytes(2).toString('hex')}`);
    const issue = fake.ws.newIssue({ teamId: team.id, title: 'From Linear' });
    return {
      type: 'Issue',
      action: 'create',
      actor: { id: fake.ws.human.id },
      data: fake.ws.issueData(issue),
      organizationId: fake.ws.organization.id,
    };
  };

  it('stores a signed delivery once (duplicates ignored) and records the connection health', async () => {
    const before = await linear.inbox.count(orgId);
    const body = issueBody();
    const timestamp = Date.now();
    const started = performance.now();
    const response = await webhook(signed(body, { id: 'delivery-1', timestamp }));
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(elapsed).toBeLessThan(100);
    expect(await linear.inbox.count(orgId)).toBe(before + 1);
    expect((await linear.connections.get(orgId))!.lastWebhookAt).not.toBeNull();
    const pending = await linear.inbox.pending(orgId, String((body.data as { id: string }).id));
    const raw = JSON.stringify({ ...body, webhookTimestamp: timestamp });
    expect(pending.map((d) => d.deliveryId)).toEqual([linearDeliveryId(Buffer.from(raw))]);

    // The same signed body under a new (unsigned) Linear-Delivery header is still a duplicate.
    const again = await webhook(signed(body, { id: 'delivery-2', timestamp }));
    expect(await again.text()).toBe('duplicate');
    expect(await linear.inbox.count(orgId)).toBe(before + 1);
  });

  it('keys deliveries on the signed body: a pre-claimed header id does not suppress another delivery', async () => {
    const before = await linear.inbox.count(orgId);
    expect(await (await webhook(signed(issueBody(), { id: 'claimed-id' }))).text()).toBe('ok');
    expect(await (await webhook(signed(issueBody(), { id: 'claimed-id' }))).text()).toBe('ok');
    expect(await linear.inbox.count(orgId)).toBe(before + 2);
  });

  it('refuses a signed body whose timestamp is only in the (unsigned) header', async () => {
    const raw = JSON.stringify(issueBody());
    const request = new Request(new URL('/api/webhooks/linear', APP_BASE_URL), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'linear-signature': createHmac('sha256', APP_SECRET).update(raw).digest('hex'),
        'linear-timestamp': String(Date.now()),
      },
      body: raw,
    });
    expect((await webhook(request)).status).toBe(401);
  });

  it('refuses an oversized body with 413 while reading it, before any parsing', async () => {
    const before = await linear.inbox.count(orgId);
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    // An endless body: only a reader that stops at the cap can answer.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(new URL('/api/webhooks/linear', APP_BASE_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const response = await webhook(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(LINEAR_WEBHOOK_MAX_BYTES + 4 * chunk.byteLength);
    expect(await linear.inbox.count(orgId)).toBe(before);
  });

  it('answers 401 to a bad signature or a stale timestamp and stores nothing', async () => {
    const before = await linear.inbox.count(orgId);
    expect((await webhook(signed(issueBody(), { secret: 'not-the-secret' }))).status).toBe(401);
    expect((await webhook(signed(issueBody(), { timestamp: Date.now() - 5 * 60_000 }))).status).toBe(401);
    const unsigned = signed(issueBody());
    unsigned.headers.delete('linear-signature');
    expect((await webhook(unsigned)).status).toBe(401);
    expect(await linear.inbox.count(orgId)).toBe(before);
  });
});

describe('Linear disconnect route', () => {
  it('is admin-only, revokes the token at Linear and deletes the connection', async () => {
    const post = (token: string) =>
      new Request(new URL('/api/integrations/linear/disconnect', APP_BASE_URL), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await disconnect(post(tokens.member), noParams)).status).toBe(403);
    const connection = (await linear.connections.get(orgId))!;
    const access = await aesGcmSecretBox(MASTER_KEY).open(
      connection.accessTokenSealed,
      secretContext(orgId, 'access'),
    );
    expect((await disconnect(post(tokens.admin), noParams)).status).toBe(204);
    expect(fake.oauth.revoked).toContain(access);
    expect(await linear.connections.get(orgId)).toBeNull();
    expect(await auditOf('integration.disconnected')).toEqual([
      expect.objectContaining({ target: 'linear', actor: expect.stringMatching(/^user:/) }),
    ]);
    expect(
      (
        await webhook(
          signed({
            ...{ type: 'Issue', action: 'create' },
            organizationId: fake.ws.organization.id,
            data: { id: 'x' },
          }),
        )
      ).status,
    ).toBe(401);
  });
});
