/**
 * Project settings in Postgres: a row written before commands, roles, runner size, egress and
 * registries existed reads back with their defaults; partial updates merge per command and per
 * role field (concurrently too); detected commands round-trip.
 */
import { DEFAULT_ROLE_LIMITS, DEFAULT_RUNNER_RESOURCES } from '@omakase/domain';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { newOrg, newProject, useStorage } from './helpers';

const { storage, url } = await useStorage();
const sql = postgres(url, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

it('reads an old row (settings without the new keys) back with defaults', async () => {
  const store = await newOrg(storage);
  const id = await newProject(store, 'OLD');
  const old = { maxConcurrentAgents: 3, budgetPerFeatureUsd: 7, commandAllowlist: ['npm test'] };
  await sql`update projects set settings = ${sql.json(old)}, detected_commands = null where id = ${id}`;
  const project = (await store.projects.get(id))!;
  expect(project.settings).toEqual({
    ...old,
    requirePlanApproval: false,
    commands: {},
    roles: DEFAULT_ROLE_LIMITS,
    runner: DEFAULT_RUNNER_RESOURCES,
    egressAllowlist: [],
    setupRegistries: [],
  });
  expect(project.detectedCommands).toBeNull();
});

it('merges partial updates per command and role field, concurrent ones included; null clears', async () => {
  const store = await newOrg(storage);
  const id = await newProject(store, 'MRG');
  await Promise.all([
    store.projects.update(id, { settings: { commands: { test: 'make test' } } }),
    store.projects.update(id, { settings: { commands: { lint: 'make lint' } } }),
    store.projects.update(id, { settings: { roles: { coder: { model: 'claude-c', maxTurns: 90 } } } }),
    store.projects.update(id, { settings: { roles: { coder: { shellTimeoutMs: 900_000 } } } }),
  ]);
  let project = (await store.projects.get(id))!;
  expect(project.settings.commands).toEqual({ test: 'make test', lint: 'make lint' });
  expect(project.settings.roles.coder).toEqual({
    ...DEFAULT_ROLE_LIMITS.coder,
    model: 'claude-c',
    maxTurns: 90,
    shellTimeoutMs: 900_000,
  });
  await store.projects.update(id, {
    settings: { commands: { test: null }, roles: { coder: { model: null } } },
  });
  project = (await store.projects.get(id))!;
  expect(project.settings.commands).toEqual({ lint: 'make lint' });
  expect(project.settings.roles.coder.model).toBeUndefined();
  // Defaults of fields never set stay live: they are not written into the row.
  const [row] = await sql`select settings from projects where id = ${id}`;
  expect(row!.settings.roles).toEqual({ coder: { maxTurns: 90, shellTimeoutMs: 900_000 } });
});

it('stores and clears detected commands', async () => {
  const store = await newOrg(storage);
  const id = await newProject(store, 'DET');
  const detectedAt = new Date('2026-01-02T03:04:05.000Z');
  const detected = {
    commands: { test: { command: 'npm test', source: 'package.json scripts.test' } },
    baseCommit: 'c'.repeat(40),
    detectedAt,
  };
  await store.projects.update(id, { detectedCommands: detected });
  expect((await store.projects.get(id))!.detectedCommands).toEqual(detected);
  await store.projects.update(id, { detectedCommands: null });
  expect((await store.projects.get(id))!.detectedCommands).toBeNull();
});
