/**
 * Wiring for warm pool tests: a local issuer with per-org warm runner M2M clients, the real
 * stack pointed at it, the ECS fake injecting each org's client into its warm task definition.
 */
import { clientCredentialsToken } from '@omakase/auth';
import { createWarmPoolStore, type DirectoryMachineClient, type WarmPoolStore } from '@omakase/db';
import { type LocalIssuer, startLocalIssuer } from '@omakase/devstack/issuer';
import type { OrgId } from '@omakase/domain';
import pino from 'pino';
import postgres from 'postgres';
import type { EcsFargateDriver } from '../../src/compute/ecs';
import { WarmPool } from '../../src/compute/warm-pool';
import { type Stack, startStack } from '../stack';
import type { FakeEcs } from './fake-ecs';
import { localRunnerTask } from './local-task-runtime';
import { driverFor, startFake } from './support';

export const ORG_A = 'org_warma';
export const ORG_B = 'org_warmb';
export const WARM_FAMILY = 'omakase-warm-{org}';

const client = (clientId: string, org: string, extra: Partial<DirectoryMachineClient>) => ({
  clientId,
  clientSecret: `${clientId}-secret`,
  org,
  ...extra,
});
export const CLIENTS = {
  warmA: client('warm-a', ORG_A, { permissions: ['runs:claim'] }),
  warmB: client('warm-b', ORG_B, { permissions: ['runs:claim'] }),
  /** Org A automation: a member, but not a warm runner. */
  automationA: client('automation-a', ORG_A, { role: 'member' }),
} satisfies Record<string, DirectoryMachineClient>;

export interface WarmHarness {
  issuer: LocalIssuer;
  stack: Stack;
  fake: FakeEcs;
  driver: EcsFargateDriver;
  store: WarmPoolStore;
  sql: postgres.Sql;
  orgB: OrgId;
  pool(sizes: [OrgId, number][]): WarmPool;
  token(c: DirectoryMachineClient): Promise<string>;
  close(): Promise<void>;
}

export async function startWarmHarness(opts: { startDelayMs?: number } = {}): Promise<WarmHarness> {
  const issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: ['http://localhost:3000'],
    machineClients: Object.values(CLIENTS),
  });
  const stack = await startStack({ orgExternalId: ORG_A, webEnv: { AUTH0_DOMAIN: issuer.url } });
  const orgB = (await stack.storage.organizations.create({ name: 'Warm B', externalId: ORG_B })).id;
  const byFamily = new Map([
    [WARM_FAMILY.replace('{org}', stack.project.orgId), CLIENTS.warmA],
    [WARM_FAMILY.replace('{org}', orgB), CLIENTS.warmB],
  ]);
  const fake = await startFake({
    startDelayMs: opts.startDelayMs ?? 300,
    runtime: localRunnerTask,
    injectedSecrets: { ANTHROPIC_API_KEY: 'scripted' },
    // Secrets Manager references of the per-org warm task definition.
    injectedSecretsFor: (family): Record<string, string> => {
      const c = byFamily.get(family);
      return c ? { OMAKASE_M2M_CLIENT_ID: c.clientId, OMAKASE_M2M_CLIENT_SECRET: c.clientSecret } : {};
    },
  });
  const driver = driverFor(fake, { pollIntervalMs: 50, warmTaskDefinition: WARM_FAMILY });
  const store = createWarmPoolStore(stack.databaseUrl);
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  return {
    issuer,
    stack,
    fake,
    driver,
    store,
    sql,
    orgB,
    pool: (sizes) =>
      new WarmPool({
        store,
        driver,
        sizes: new Map(sizes),
        ownerId: 'orch-warm',
        env: {
          OMAKASE_API_URL: stack.web.url,
          OMAKASE_TOKEN_URL: `${issuer.url}/oauth/token`,
          ANTHROPIC_BASE_URL: stack.model.url,
        },
        checkIntervalMs: 60_000,
        logger,
      }),
    token: (c) =>
      clientCredentialsToken({ tokenUrl: `${issuer.url}/oauth/token`, audience: 'omakase-api', ...c }).get(),
    async close() {
      await stack.close();
      await fake.stop();
      await store.close();
      await sql.end();
      await issuer.stop();
    },
  };
}

/** Polls `check` (a condition, not a fixed delay) until it holds. */
export async function until<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  ms = 60_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function warmRows(sql: postgres.Sql, orgId: string) {
  return sql<{ id: string; status: string; run_id: string | null; handle: string | null }[]>`
    select id, status, run_id, handle from warm_runners where org_id = ${orgId} order by created_at`;
}

export const isWarmTask = (t: { tags: { key: string }[] }) =>
  t.tags.some((tag) => tag.key === 'omakase:warm');
