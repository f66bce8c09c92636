/**
 * The repository URL policy at clone time, on real git and Postgres: a project whose saved URL is
 * (or has become) another org's local repository, or a host resolving to a private address, is
 * refused before any git runs; the org's own local repository clones. Without `checkRemote` the
 * orchestrator cloned whatever the URL named.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { branchNameFor, type OrgId, type TenantStore } from '@omakase/domain';
import type { Resolver } from '@omakase/net-policy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gitWorkspaces } from '../src/git/publish';
import { createCheckRemote } from '../src/git/remote-policy';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).then((r) => r.stdout.trim());

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let orgA: OrgId;
let orgB: OrgId;
let storeA: TenantStore;

async function repoOf(org: OrgId, name: string, content: string): Promise<string> {
  const repo = join(dir, 'repos', org, name);
  await exec('git', ['init', '-q', '-b', 'main', repo]);
  await writeFile(join(repo, 'README.md'), content);
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

const resolve: Resolver = async (host) =>
  host === 'git.internal-corp.example' ? ['10.0.0.5'] : ['140.82.112.3'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-remote-policy-'));
  db = await createTestDatabase();
  storage = createStorage(db.url);
  orgA = (await storage.organizations.create({ name: 'a', externalId: `org_a_${db.name}` })).id;
  orgB = (await storage.organizations.create({ name: 'b', externalId: `org_b_${db.name}` })).id;
  storeA = storage.forOrg(orgA);
});
afterAll(async () => {
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

function workspaces() {
  const checkRemote = createCheckRemote({
    localRepositories: { root: join(dir, 'repos'), orgs: [orgA, orgB] },
    resolve,
  });
  return gitWorkspaces(join(dir, 'workspaces'), { checkRemote });
}

async function featureOf(repositoryUrl: string, name: string) {
  const project = await storeA.projects.create({ name, keyPrefix: name.toUpperCase(), repositoryUrl });
  const feature = await storeA.features.create(project.id, { title: 'Try' });
  return { project, feature, branch: branchNameFor(feature.key, feature.title) };
}

it("clones the org's own local repository, and refuses another org's before any git runs", async () => {
  const own = await repoOf(orgA, 'shop', 'own\n');
  const theirs = await repoOf(orgB, 'secret', 'the other org\n');
  const ws = workspaces();

  const mine = await featureOf(`file://${own}`, 'shop');
  const checkout = await ws.prepare(mine.project, mine.feature, mine.branch);
  expect(await git(checkout, 'show', 'HEAD:README.md')).toBe('own');

  const stolen = await featureOf(`file://${theirs}`, 'steal');
  await expect(ws.prepare(stolen.project, stolen.feature, stolen.branch)).rejects.toThrow(
    /repositoryUrl: must be inside this organisation's own local repository directory/,
  );
  expect(existsSync(join(dir, 'workspaces', orgA, stolen.feature.id))).toBe(false);
  // The mirror may exist (created empty), but nothing of the other org's repository reached it.
  const theirHead = await git(theirs, 'rev-parse', 'HEAD');
  const mirror = join(dir, 'mirrors', orgA, `${stolen.project.id}.git`);
  if (existsSync(mirror)) await expect(git(mirror, 'cat-file', '-e', theirHead)).rejects.toThrow();
});

it('checks again at clone time: a saved path that became a symlink into another org is refused', async () => {
  const later = await repoOf(orgA, 'later', 'fine when saved\n');
  const theirs = await repoOf(orgB, 'later-secret', 'the other org\n');
  const swapped = await featureOf(`file://${later}`, 'swap');
  await rename(later, `${later}-old`);
  await symlink(theirs, later);
  await expect(workspaces().prepare(swapped.project, swapped.feature, swapped.branch)).rejects.toThrow(
    /own local repository directory/,
  );
});

it('refuses a host that resolves to a private address, and any file URL outside the local root', async () => {
  const ws = workspaces();
  const privateHost = await featureOf('https://git.internal-corp.example/a/b.git', 'priv');
  await expect(ws.prepare(privateHost.project, privateHost.feature, privateHost.branch)).rejects.toThrow(
    /repositoryUrl: host git\.internal-corp\.example resolves to a private, loopback or reserved address/,
  );
  await mkdir(join(dir, 'host-dir'), { recursive: true });
  const hostDir = await featureOf(`file://${join(dir, 'host-dir')}`, 'host');
  await expect(ws.prepare(hostDir.project, hostDir.feature, hostDir.branch)).rejects.toThrow(
    /own local repository directory/,
  );
});
