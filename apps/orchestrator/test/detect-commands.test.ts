/**
 * Command detection on the orchestrator's mirror, on real git and Postgres with two public
 * repositories (lukeed/dequal, benjaminp/six: `@omakase/test-fixtures`): a `project.detect`
 * item (what the API enqueues on create) stores the commands with their sources and base commit;
 * a launch after the default branch moved detects again; a project's runner size reaches the
 * driver only when it is not the default.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { Project, ProjectSettingsPatch, TenantStore } from '@omakase/domain';
import { startFeature, WORK } from '@omakase/engine';
import { type FixtureName, fixtureRepository } from '@omakase/test-fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scriptedDriver } from '../bench/scripted-agents';
import type { ComputeSpec } from '../src/compute/types';
import { gitWorkspaces } from '../src/git/publish';
import { type RunningOrchestrator, startOrchestrator } from '../src/orchestrator';
import { featureIn, waitFor } from './stack';
import { testOrchestratorDefaults } from './support-orchestrator';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).then((r) => r.stdout.trim());

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let store: TenantStore;
let orchestrator: RunningOrchestrator;
const started: ComputeSpec[] = [];

/** A bare copy of a fixture repository (its own remote, so a test can move its branch). */
async function remoteOf(fixture: FixtureName): Promise<string> {
  const bare = join(dir, `${fixture}.git`);
  const checkout = await fixtureRepository(fixture, join(dir, `${fixture}-fixture`));
  await exec('git', ['clone', '-q', '--bare', `file://${checkout}`, bare]);
  return bare;
}

/** Created the way the API does it: the project and its detection item in one transaction. */
async function createProject(
  name: string,
  bare: string,
  defaultBranch: string,
  settings: ProjectSettingsPatch = {},
): Promise<Project> {
  return store.transaction(async (tx) => {
    const project = await tx.projects.create({
      name,
      keyPrefix: name.toUpperCase().slice(0, 4),
      repositoryUrl: `file://${bare}`,
      defaultBranch,
      settings: { maxConcurrentAgents: 2, budgetPerFeatureUsd: 5, commandAllowlist: [], ...settings },
    });
    await tx.work.enqueue({ kind: WORK.detect, subjectId: project.id });
    return project;
  });
}

const detectedOf = (project: Project, baseCommit?: string) =>
  waitFor(
    storage,
    async () => {
      const current = await store.projects.get(project.id);
      const detected = current?.detectedCommands;
      return detected && (!baseCommit || detected.baseCommit === baseCommit) ? detected : null;
    },
    `detected commands of ${project.name}`,
    60_000,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-detect-'));
  db = await createTestDatabase();
  storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'Detect', externalId: `org_${db.name}` });
  store = storage.forOrg(org.id);
  const driver = scriptedDriver(storage);
  const start = driver.start.bind(driver);
  driver.start = (spec) => {
    started.push(spec);
    return start(spec);
  };
  orchestrator = await startOrchestrator({
    ...testOrchestratorDefaults(dir),
    storage,
    driver,
    // The first test moves upstream seconds after the first fetch: every launch fetches here.
    workspaces: gitWorkspaces(join(dir, 'workspaces'), { refreshMaxAgeMs: 0 }),
    workerId: 'orch-detect',
  });
});

afterAll(async () => {
  await orchestrator?.stop();
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('detects lukeed/dequal (npm, uvu) on creation, and again at launch once its default branch moved', async () => {
  const bare = await remoteOf('dequal');
  const head = await git(bare, 'rev-parse', 'refs/heads/main');
  const project = await createProject('dequal', bare, 'main', { runner: { cpu: 2048, memoryMiB: 4096 } });
  const first = await detectedOf(project);
  expect(first.baseCommit).toBe(head);
  expect(first.commands).toEqual({
    setup: { command: 'npm install', source: 'package.json' },
    test: { command: 'npm test', source: 'package.json scripts.test' },
    build: { command: 'npm run build', source: 'package.json scripts.build' },
  });

  // Upstream gains a lockfile and agent instructions naming a test command.
  const work = join(dir, 'dequal-work');
  await exec('git', ['clone', '-q', '-b', 'main', `file://${bare}`, work]);
  await writeFile(join(work, 'package-lock.json'), '{"lockfileVersion":3}\n');
  await writeFile(join(work, 'CLAUDE.md'), '# Agents\n\nTest: `npm test -- --bail`\n');
  await git(work, 'add', '--force', 'package-lock.json', 'CLAUDE.md'); // dequal ignores lockfiles
  await git(work, 'commit', '-q', '-m', 'lockfile and instructions');
  await git(work, 'push', '-q', 'origin', 'main');
  const moved = await git(bare, 'rev-parse', 'refs/heads/main');

  const feature = await store.features.create(project.id, { title: 'Deep equal for maps' });
  await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });
  const second = await detectedOf(project, moved);
  expect(second.commands.setup).toEqual({ command: 'npm ci', source: 'package-lock.json' });
  expect(second.commands.test).toEqual({ command: 'npm test -- --bail', source: 'CLAUDE.md (Test)' });
  await waitFor(storage, () => featureIn(store, feature, ['done', 'failed']), 'feature finished');
  // Not the default size: the driver is asked for it (the ECS driver turns it into task overrides).
  expect(started.find((spec) => spec.featureId === feature.id)?.resources).toEqual({
    cpu: 2048,
    memoryMiB: 4096,
  });
});

it('detects benjaminp/six (setup.py, pytest in a system-site-packages venv, flake8)', async () => {
  const bare = await remoteOf('six');
  const project = await createProject('six', bare, 'main');
  const detected = await detectedOf(project);
  expect(detected.baseCommit).toBe(await git(bare, 'rev-parse', 'refs/heads/main'));
  expect(detected.commands).toEqual({
    setup: {
      command:
        'python3 -m venv --system-site-packages .venv && .venv/bin/python -m pip install --no-build-isolation -e .',
      source: 'setup.py',
    },
    test: { command: '.venv/bin/python -m pytest', source: 'setup.cfg [tool:pytest]' },
    lint: { command: '.venv/bin/python -m flake8', source: 'setup.cfg' },
  });
  const feature = await store.features.create(project.id, { title: 'Add a helper' });
  await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });
  await waitFor(storage, () => featureIn(store, feature, ['done', 'failed']), 'feature finished');
  // Default runner size: no override, so a warm task (the task definition's size) may take it.
  expect(started.find((spec) => spec.featureId === feature.id)).not.toHaveProperty('resources');
});
