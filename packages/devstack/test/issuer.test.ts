import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY } from '@omakase/domain';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalIssuer, startLocalIssuer } from '../src/issuer';
import { APP, authorize, CookieJar, exchangeCode } from './oidc-flow';

const NS = 'https://omakase.dev';
const running: LocalIssuer[] = [];

async function start(dataDir?: string): Promise<LocalIssuer> {
  const issuer = await startLocalIssuer({ port: 0, appBaseUrls: [APP], dataDir });
  running.push(issuer);
  return issuer;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
});

async function clientCredentials(
  issuer: string,
  body: Record<string, string>,
  json = false,
): Promise<Response> {
  return fetch(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
}

const M2M = {
  grant_type: 'client_credentials',
  client_id: 'demo-automation',
  client_secret: 'demo-secret',
  audience: 'omakase-api',
};

async function verify(issuerUrl: string, token: string, audience: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuerUrl}/.well-known/jwks.json`));
  return (await jwtVerify(token, jwks, { issuer: `${issuerUrl}/`, audience })).payload;
}

describe('local issuer', () => {
  it('serves Auth0-shaped discovery on localhost', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    const discovery = await (await fetch(`${url}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer: `${url}/`,
      authorization_endpoint: `${url}/authorize`,
      token_endpoint: `${url}/oauth/token`,
      jwks_uri: `${url}/.well-known/jwks.json`,
      end_session_endpoint: `${url}/oidc/logout`,
    });
  });

  it('issues verifiable machine-to-machine tokens for form and JSON bodies', async () => {
    const { url } = await start();
    for (const json of [false, true]) {
      const res = await clientCredentials(url, M2M, json);
      expect(res.status).toBe(200);
      const { access_token } = (await res.json()) as { access_token: string };
      const claims = await verify(url, access_token, 'omakase-api');
      expect(claims).toMatchObject({
        sub: 'demo-automation@clients',
        gty: 'client-credentials',
        org_id: 'org_demo',
        [`${NS}/roles`]: ['member'],
      });
      expect(claims.permissions).toEqual([...POLICY.member]);
    }
  });

  it('accepts HTTP Basic client authentication', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-automation:demo-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience: 'omakase-api' }).toString(),
    });
    expect(res.status).toBe(200);
  });

  it('rejects a wrong client secret and an unknown audience', async () => {
    const { url } = await start();
    const wrongSecret = await clientCredentials(url, { ...M2M, client_secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });
    const wrongAudience = await clientCredentials(url, { ...M2M, audience: 'someone-else' });
    expect(wrongAudience.status).toBe(400);
    expect(await wrongAudience.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('logs a user in with the authorization code flow; tokens carry organisation and roles', async () => {
    const { url } = await start();
    const login = await authorize(
      url,
      { audience: 'omakase-api' },
      { email: 'member@demo.local', password: 'demo' },
    );
    const code = login.callback?.searchParams.get('code');
    expect(code, login.html).toBeTruthy();
    expect(login.callback?.searchParams.get('state')).toBe('state-1');
    const tokens = await exchangeCode(url, code as string);
    const id = await verify(url, tokens.id_token as string, 'omakase-web');
    expect(id).toMatchObject({
      sub: 'local|member',
      email: 'member@demo.local',
      name: 'Mia Member',
      nonce: 'nonce-1',
      org_id: 'org_demo',
      org_name: 'Demo',
      [`${NS}/roles`]: ['member'],
    });
    const access = await verify(url, tokens.access_token as string, 'omakase-api');
    expect(access).toMatchObject({ sub: 'local|member', org_id: 'org_demo', [`${NS}/roles`]: ['member'] });
    expect(access.permissions).toEqual([...POLICY.member]);
    expect(String(access.scope).split(' ')).toContain('openid');
  });

  it('honours organization=org_sandbox for a member of it', async () => {
    const { url } = await start();
    const login = await authorize(
      url,
      { organization: 'org_sandbox' },
      { email: 'owner@demo.local', password: 'demo' },
    );
    const tokens = await exchangeCode(url, login.callback?.searchParams.get('code') as string);
    expect(decodeJwt(tokens.id_token as string)).toMatchObject({
      org_id: 'org_sandbox',
      [`${NS}/roles`]: ['admin'],
    });
  });

  it('refuses an organisation the user is not a member of, and wrong passwords', async () => {
    const { url } = await start();
    const foreign = await authorize(
      url,
      { organization: 'org_other' },
      { email: 'member@demo.local', password: 'demo' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.callback).toBeUndefined();
    expect(foreign.html).toContain('not a member');
    const wrong = await authorize(url, {}, { email: 'member@demo.local', password: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('Wrong email or password');
  });

  it('keeps its signing keys across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'issuer-keys-'));
    const first = await startLocalIssuer({ port: 0, appBaseUrls: [APP], dataDir });
    const { access_token } = (await (await clientCredentials(first.url, M2M)).json()) as {
      access_token: string;
    };
    const port = Number(new URL(first.url).port);
    await first.stop();
    const second = await startLocalIssuer({ port, appBaseUrls: [APP], dataDir });
    running.push(second);
    const claims = await verify(second.url, access_token, 'omakase-api');
    expect(claims.sub).toBe('demo-automation@clients');
  });

  it('maps Auth0 /v2/logout onto RP-initiated logout that ends the session and returns to the app', async () => {
    const { url } = await start();
    const jar = new CookieJar();
    await authorize(url, {}, { email: 'viewer@demo.local', password: 'demo' }, jar);
    const res = await fetch(`${url}/v2/logout?client_id=omakase-web&returnTo=${encodeURIComponent(APP)}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const page = await fetch(new URL(res.headers.get('location') as string, url), {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    jar.store(page);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"\/>/g)) {
      fields.set(name as string, value as string);
    }
    expect(fields.get('logout')).toBe('yes');
    const confirm = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: fields.toString(),
    });
    expect(confirm.headers.get('location')).toBe(`${APP}/`);
    jar.store(confirm);
    // The issuer session is gone: a new authorization asks for credentials again.
    const again = await authorize(url, {}, { email: 'viewer@demo.local', password: 'wrong' }, jar);
    expect(again.status).toBe(401);
  });
});
