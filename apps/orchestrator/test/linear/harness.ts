/**
 * Real Postgres + the fake Linear + our webhook receiver on a real HTTP port + an orchestrator
 * with the Linear worker (NullDriver: agents "start" without compute, enough for sync tests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinearStore, createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { createDemoRepository } from '@omakase/demo-repo';
import type { LinearStore, Organization, OrgId, Project, ProjectId } from '@omakase/domain';
import {
  aesGcmSecretBox,
  authorizeUrl,
  exchangeCode,
  type OAuthApp,
  receiveLinearWebhook,
  type SecretBox,
  secretContext,
} from '@omakase/linear';
import { FakeLinear } from '@omakase/linear-fake';
import pino from 'pino';
import postgres from 'postgres';
import { NullDriver } from '../../src/compute/null-driver';
import { LinearWorker } from '../../src/linear';
import { type RunningOrchestrator, startOrchestrator } from '../../src/orchestrator';
import { localRunTokens } from '../../src/run-tokens';

export interface LinearHarness {
  db: TestDatabase;
  /** Direct reads of the inbox for assertions. */
  sql: postgres.Sql;
  storage: PostgresStorage;
  linear: LinearStore;
  fake: FakeLinear;
  box: SecretBox;
  oauth: OAuthApp;
  org: Organization;
  project: Project;
  team: { id: string };
  webhookUrl: string;
  worker: LinearWorker;
  /** Stops the orchestrator (work loop and Linear worker) until `startOrchestrator`. */
  stopOrchestrator(): Promise<void>;
  startOrchestrator(): Promise<void>;
  /** Agents the (null) driver started: feature and when. */
  started: { featureId: string; at: number }[];
  close(): Promise<void>;
}

export function startReceiver(linear: LinearStore, box: SecretBox): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: new Uint8Array(Buffer.concat(chunks)),
    });
    const response = await receiveLinearWebhook(request, { store: linear, box });
    res.writeHead(response.status);
    res.end(await response.text());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/linear`,
      }),
    ),
  );
}

/** Installs through the fake's OAuth flow (actor=app, state checked) and stores sealed tokens. */
export async function install(
  h: Pick<LinearHarness, 'fake' | 'oauth' | 'linear' | 'box' | 'org' | 'project' | 'team'>,
  webhookSecret: string,
) {
  const state = randomBytes(16).toString('hex');
  const location = (await fetch(authorizeUrl(h.oauth, state), { redirect: 'manual' })).headers.get(
    'location',
  )!;
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
  const tokens = await exchangeCode(h.oauth, callback.searchParams.get('code')!);
  const orgId = h.org.id;
  return h.linear.connections.upsert(orgId, {
    mode: 'oauth',
    linearOrgId: h.fake.ws.organization.id,
    actorId: h.fake.ws.appUser.id,
    accessTokenSealed: await h.box.seal(tokens.accessToken, secretContext(orgId, 'access')),
    refreshTokenSealed: await h.box.seal(tokens.refreshToken!, secretContext(orgId, 'refresh')),
    webhookSecretSealed: await h.box.seal(webhookSecret, secretContext(orgId, 'webhook')),
    expiresAt: tokens.expiresAt,
    settings: { teamIds: [h.team.id], defaultProjectId: h.project.id, triggerLabel: 'agents' },
  });
}

export async function startLinearHarness(
  opts: { orgMaxConcurrentAgents?: number } = {},
): Promise<LinearHarness> {
  const orgMaxConcurrentAgents = opts.orgMaxConcurrentAgents ?? 10;
  const db = await createTestDatabase();
  const storage = createStorage(db.url);
  const linear = createLinearStore(db.url);
  const org = await storage.organizations.create({ name: 'Linear', externalId: `org_${db.name}` });
  const dataDir = await mkdtemp(join(tmpdir(), 'omakase-linear-'));
  await createDemoRepository(join(dataDir, 'repo'));
  const project = await storage.forOrg(org.id).projects.create({
    name: 'shop',
    keyPrefix: 'SHOP',
    repositoryUrl: `file://${join(dataDir, 'repo')}`,
    // NullDriver runs never finish: leave room for every feature the tests start.
    settings: { maxConcurrentAgents: 50 },
  });
  const { fake, team, box, oauth, secret, receiver, stop: stopFake } = await startFakeLinear(linear);
  const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  const worker = new LinearWorker({
    storage,
    linear,
    box,
    oauth,
    apiUrl: `${fake.url}/graphql`,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    orgMaxConcurrentAgents,
    logger,
  });
  const started: LinearHarness['started'] = [];
  const runTokens = localRunTokens(randomBytes(32).toString('hex'));
  let generation = 0;
  const launch = () =>
    startOrchestrator({
      storage,
      driver: new NullDriver((spec) => started.push({ featureId: spec.featureId, at: performance.now() })),
      workerId: `linear-${db.name}-${generation++}`,
      leaseMs: 3000,
      apiUrl: 'http://127.0.0.1:1',
      runTokens,
      workspacesDir: join(dataDir, 'workspaces'),
      orgMaxConcurrentAgents,
      model: {},
      logger,
      linear: worker,
    });
  let orchestrator: RunningOrchestrator | null = await launch();
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  const h = {
    db,
    sql,
    storage,
    linear,
    fake,
    box,
    oauth,
    org,
    project,
    team,
    webhookUrl: receiver.url,
    worker,
    started,
  };
  await install(h, secret);
  return {
    ...h,
    async stopOrchestrator() {
      await orchestrator?.stop();
      orchestrator = null;
    },
    async startOrchestrator() {
      orchestrator ??= await launch();
    },
    async close() {
      await orchestrator?.stop();
      await stopFake();
      await linear.close();
      await sql.end({ timeout: 5 });
      await storage.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Re-checks `check` until it holds (bounded): for conditions no change notification announces. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** The fake Linear and our webhook receiver, wired to each other (no connection installed yet). */
async function startFakeLinear(linear: LinearStore) {
  const fake = new FakeLinear();
  await fake.start();
  const team = fake.ws.addTeam('ENG');
  const box = aesGcmSecretBox(randomBytes(32).toString('base64'));
  const oauth: OAuthApp = {
    clientId: fake.oauth.clientId,
    clientSecret: fake.oauth.clientSecret,
    redirectUri: 'http://localhost:3000/api/integrations/linear/callback',
    authorizeBaseUrl: fake.url,
    apiBaseUrl: fake.url,
  };
  const secret = randomBytes(16).toString('hex');
  const receiver = await startReceiver(linear, box);
  fake.webhook = { url: receiver.url, secret };
  return {
    fake,
    team,
    box,
    oauth,
    secret,
    receiver,
    async stop() {
      await fake.stop();
      receiver.server.closeAllConnections();
      receiver.server.close();
    },
  };
}

/** The fake Linear, our webhook receiver and an installed connection for an existing org and project. */
export async function connectFakeLinear(opts: { databaseUrl: string; orgId: OrgId; projectId: ProjectId }) {
  const linear = createLinearStore(opts.databaseUrl);
  const { fake, team, box, oauth, secret, stop } = await startFakeLinear(linear);
  const org = { id: opts.orgId } as Organization;
  const project = { id: opts.projectId } as Project;
  await install({ fake, oauth, linear, box, org, project, team }, secret);
  return {
    linear,
    box,
    fake,
    team,
    oauth,
    async close() {
      await stop();
      await linear.close();
    },
  };
}
