/**
 * The pool manager against the ECS fake and a real Postgres, with stub containers: a warm task
 * that dies before serving (e.g. bad M2M credentials) pauses its org's pool instead of looping
 * RunTask; an idle exit (code 0) is routine and refilled at once.
 */
import { createStorage, createWarmPoolStore, type PostgresStorage, type WarmPoolStore } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { OrgId } from '@omakase/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EcsFargateDriver } from '../../src/compute/ecs';
import { WarmPool } from '../../src/compute/warm-pool';
import type { FakeEcs, FakeTask, TaskRuntime } from './fake-ecs';
import { driverFor, startFake } from './support';
import { until } from './warm-support';

let db: TestDatabase;
let storage: PostgresStorage;
let store: WarmPoolStore;
let fake: FakeEcs;
let driver: EcsFargateDriver;
let pool: WarmPool;
let broken: OrgId;
let idle: OrgId;

const orgOf = (t: FakeTask) => t.tags.find((tag) => tag.key === 'omakase:org')?.value;
const started = (org: OrgId) => [...fake.tasks.values()].filter((t) => orgOf(t) === org).length;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = createStorage(db.url);
  store = createWarmPoolStore(db.url);
  broken = (await storage.organizations.create({ name: 'Broken', externalId: 'org_pool_broken' })).id;
  idle = (await storage.organizations.create({ name: 'Idle', externalId: 'org_pool_idle' })).id;
  let idleExits = 0;
  // Broken org: exits 2 at once. Idle org: the first task exits 0 (idle timeout), later ones wait.
  const runtime: TaskRuntime = (_env, task) => {
    let stop = () => {};
    const exited = new Promise<number>((resolve) => {
      stop = () => resolve(143);
      if (orgOf(task) === broken) resolve(2);
      else if (idleExits++ === 0) resolve(0);
    });
    return { exited, stop };
  };
  fake = await startFake({ runtime });
  driver = driverFor(fake, { pollIntervalMs: 20, warmTaskDefinition: 'omakase-warm-{org}' });
  pool = new WarmPool({
    store,
    driver,
    sizes: new Map([
      [broken, 1],
      [idle, 1],
    ]),
    ownerId: 'orch-pool',
    env: { OMAKASE_API_URL: 'http://api.invalid' },
    checkIntervalMs: 60_000,
    failureBackoffMs: 60_000,
    logger: pino({ level: 'silent' }),
  });
  await pool.start();
});
afterAll(async () => {
  await pool?.close();
  await driver?.close();
  await fake?.stop();
  await store?.close();
  await storage?.close();
  await db?.drop();
});

describe('WarmPool refills', () => {
  it('pauses an org whose warm tasks fail before serving, instead of looping RunTask', async () => {
    await until(async () => pool.pausedUntil(broken) > Date.now(), 'the broken pool paused');
    await pool.topUp(broken); // a refill while paused starts nothing
    expect(started(broken)).toBe(1);
    expect(pool.pausedUntil(broken) - Date.now()).toBeGreaterThan(50_000);
  });

  it('refills at once after an idle exit', async () => {
    await until(async () => started(idle) >= 2, 'the idle pool refilled');
    expect(pool.pausedUntil(idle)).toBe(0);
    expect(started(idle)).toBe(2);
  });
});
