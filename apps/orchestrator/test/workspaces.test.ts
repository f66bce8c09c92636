/**
 * Workspace lifecycle on real git and Postgres: a feature that runs again after its workspace
 * was removed resumes from its pushed branch, and the start-up prune removes exactly the
 * workspaces of done or deleted features.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { branchNameFor, newId, type Project, type TenantStore } from '@omakase/domain';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportBundle } from '../../agent-runner/src/export-bundle';
import { pruneWorkspaces } from '../src/git/prune';
import { gitWorkspaces } from '../src/git/publish';
import { workspacePath } from '../src/git/workspace';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).then((r) => r.stdout.trim());

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let store: TenantStore;
let project: Project;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-workspaces-'));
  const source = join(dir, 'src');
  await exec('git', ['init', '-q', '-b', 'main', source]);
  await writeFile(join(source, 'README.md'), '# shop\n');
  await git(source, 'add', '.');
  await git(source, 'commit', '-q', '-m', 'initial');
  await exec('git', ['clone', '-q', '--bare', source, join(dir, 'remote.git')]);
  root = join(dir, 'workspaces');
  db = await createTestDatabase();
  storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'w', externalId: `org_${db.name}` });
  store = storage.forOrg(org.id);
  project = await store.projects.create({
    name: 'shop',
    keyPrefix: 'WS',
    repositoryUrl: `file://${join(dir, 'remote.git')}`,
  });
});
afterAll(async () => {
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('seeds a workspace the way a clone would look: the feature branch checked out, main and origin/* refs, origin configured', async () => {
  const workspaces = gitWorkspaces(root);
  const feature = await store.features.create(project.id, { title: 'Seeded like a clone' });
  const branch = branchNameFor(feature.key, feature.title);
  const ws = await workspaces.prepare(project, feature, branch);
  const mainSha = await git(join(dir, 'src'), 'rev-parse', 'HEAD');
  expect(await git(ws, 'symbolic-ref', 'HEAD')).toBe(`refs/heads/${branch}`);
  expect(await git(ws, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(
    [
      `refs/heads/main ${mainSha}`,
      `refs/heads/${branch} ${mainSha}`,
      `refs/remotes/origin/main ${mainSha}`,
    ].join('\n'),
  );
  expect(await git(ws, 'status', '--porcelain')).toBe('');
  expect(await git(ws, 'config', 'remote.origin.url')).toBe(project.repositoryUrl);
  expect(await git(ws, 'config', 'remote.origin.fetch')).toBe('+refs/heads/*:refs/remotes/origin/*');
  await workspaces.remove(feature);
});

it('starts a removed workspace again from the branch it pushed', async () => {
  const workspaces = gitWorkspaces(root);
  const feature = await store.features.create(project.id, { title: 'Gift cards' });
  const branch = branchNameFor(feature.key, feature.title);
  const first = await workspaces.prepare(project, feature, branch);
  await writeFile(join(first, 'gift-cards.js'), 'export const giftCards = [];\n');
  await git(first, 'add', '.');
  await git(first, 'commit', '-q', '-m', `${feature.key}: gift cards`);
  // What the runner does at the end of every run: the host takes the commits from this bundle.
  await exportBundle({ workspace: first, branch, defaultBranch: project.defaultBranch });
  await workspaces.publish(project, feature, branch);
  await workspaces.remove(feature);
  expect(existsSync(first)).toBe(false);

  const again = await workspaces.prepare(project, feature, branch);
  expect(await git(again, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(branch);
  expect(await git(again, 'log', '--format=%s', '-1')).toBe(`${feature.key}: gift cards`);
  expect(existsSync(join(again, 'gift-cards.js'))).toBe(true);
});

it('prunes the workspaces of done and deleted features, and nothing else', async () => {
  const workspaces = gitWorkspaces(root);
  const done = await store.features.create(project.id, { title: 'Done one' });
  await store.features.update(done.id, { status: 'done' });
  const active = await store.features.create(project.id, { title: 'Still coding' });
  await store.features.update(active.id, { status: 'coding' });
  const deleted = { orgId: store.orgId, id: newId('feat') };
  for (const f of [done, active, deleted]) await mkdir(workspacePath(root, f), { recursive: true });
  const stranger = join(root, store.orgId, 'notes');
  await mkdir(stranger, { recursive: true });
  // A seed a crash interrupted (the rename into place never happened).
  const halfSeeded = join(root, store.orgId, `.seeding-${active.id}-0a1b2c`);
  await mkdir(join(halfSeeded, '.git'), { recursive: true });

  const removed = await pruneWorkspaces(root, storage, workspaces, pino({ level: 'silent' }));
  expect(existsSync(workspacePath(root, done))).toBe(false);
  expect(existsSync(workspacePath(root, deleted))).toBe(false);
  expect(existsSync(workspacePath(root, active))).toBe(true);
  expect(existsSync(stranger)).toBe(true);
  expect(existsSync(halfSeeded)).toBe(false);
  // The first test's feature is not done: its workspace stays too.
  expect(removed).toBe(2);
});
