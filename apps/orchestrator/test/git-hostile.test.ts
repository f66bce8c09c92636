/**
 * Host git against a hostile workspace, on real git and Postgres: the agent owns everything in
 * its workspace (hooks, config, remote URLs, attributes, the bundle it leaves), and none of it
 * may run on the host, redirect the push, or leak the GitHub token. Each case fails on the old
 * code, which ran `checkout`/`push` inside the workspace with only `safe.directory=*`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { branchNameFor, type Project, type TenantStore } from '@omakase/domain';
import { createGitHub } from '@omakase/github';
import { startFakeGitHub } from '@omakase/github/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportBundle } from '../../agent-runner/src/export-bundle';
import { gitWorkspaces } from '../src/git/publish';

const exec = promisify(execFile);
/** The agent's own git (and the test's): plain git in the workspace, as the sandbox user would run it. */
const agentGit = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=agent', '-c', 'user.email=a@a', ...args], { cwd }).then((r) =>
    r.stdout.trim(),
  );

let dir: string;
let canary: string;
let db: TestDatabase;
let storage: PostgresStorage;
let store: TenantStore;

async function bareRepo(name: string): Promise<string> {
  const source = join(dir, `${name}-src`);
  await exec('git', ['init', '-q', '-b', 'main', source]);
  await writeFile(join(source, 'README.md'), `# ${name}\n`);
  await agentGit(source, 'add', '.');
  await agentGit(source, 'commit', '-q', '-m', 'initial');
  const bare = join(dir, `${name}.git`);
  await exec('git', ['clone', '-q', '--bare', source, bare]);
  return bare;
}

const refsOf = (bare: string) => agentGit(bare, 'for-each-ref', '--format=%(refname) %(objectname)');

/** Everything a hostile agent can do to its `.git` so that host git would run its code. */
async function plantHostileGit(ws: string, opts: { decoy: string; pushUrl?: string }) {
  const touch = `#!/bin/sh\ntouch '${canary}'\n`;
  for (const hook of ['pre-push', 'post-checkout', 'reference-transaction', 'pre-commit', 'post-merge']) {
    await writeFile(join(ws, '.git', 'hooks', hook), touch);
    await chmod(join(ws, '.git', 'hooks', hook), 0o755);
  }
  const monitor = join(ws, 'fsmonitor.sh');
  await writeFile(monitor, touch);
  await chmod(monitor, 0o755);
  await agentGit(ws, 'config', 'core.fsmonitor', monitor);
  await agentGit(ws, 'config', 'core.hooksPath', join(ws, '.git', 'hooks'));
  await agentGit(ws, 'config', 'remote.origin.url', opts.decoy);
  await agentGit(ws, 'config', 'remote.origin.pushurl', opts.pushUrl ?? opts.decoy);
  await agentGit(ws, 'config', 'filter.evil.clean', `touch '${canary}'; cat`);
  await agentGit(ws, 'config', 'filter.evil.smudge', `touch '${canary}'; cat`);
  await agentGit(ws, 'config', 'filter.evil.required', 'true');
}

/** The agent's git once its traps are set (so the test itself does not spring them). */
const quietGit = (cwd: string, ...args: string[]) =>
  agentGit(
    cwd,
    ...[
      'core.hooksPath=/dev/null',
      'core.fsmonitor=false',
      'filter.evil.clean=cat',
      'filter.evil.smudge=cat',
    ].flatMap((c) => ['-c', c]),
    ...args,
  );

async function project(name: string, repositoryUrl?: string): Promise<Project> {
  return store.projects.create({
    name,
    keyPrefix: name.toUpperCase().slice(0, 4),
    repositoryUrl: repositoryUrl ?? `file://${await bareRepo(name)}`,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-git-hostile-'));
  canary = join(dir, 'canary');
  db = await createTestDatabase();
  storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'hostile', externalId: `org_${db.name}` });
  store = storage.forOrg(org.id);
});
afterAll(async () => {
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('a planted hook, fsmonitor, filter or rewritten origin never runs on the host; the push lands only on the configured remote', async () => {
  const shop = await project('shop');
  const decoy = await bareRepo('decoy');
  const decoyBefore = await refsOf(decoy);
  const root = join(dir, 'ws-hostile');
  const workspaces = gitWorkspaces(root);
  const feature = await store.features.create(shop.id, { title: 'Gift cards' });
  const branch = branchNameFor(feature.key, feature.title);

  const ws = await workspaces.prepare(shop, feature, branch);
  // The agent's work, then its attack: hooks, fsmonitor, filter config, origin rewritten, and
  // the workspace left on another branch so a host-side `checkout` would be needed.
  await writeFile(join(ws, 'gift-cards.js'), 'export const giftCards = [];\n');
  await writeFile(join(ws, '.gitattributes'), '* filter=evil\n');
  await agentGit(ws, 'add', '.');
  await agentGit(ws, 'commit', '-q', '-m', `${feature.key}: gift cards`);
  const agentCommit = await agentGit(ws, 'rev-parse', 'HEAD');
  await exportBundle({ workspace: ws, branch, defaultBranch: shop.defaultBranch });
  await plantHostileGit(ws, { decoy });
  await quietGit(ws, 'checkout', '-q', '-b', 'elsewhere');

  // Second launch: the workspace exists, so the host leaves it alone (the runner switches branch).
  expect(await workspaces.prepare(shop, feature, branch)).toBe(ws);
  await workspaces.publish(shop, feature, branch);
  expect(existsSync(canary)).toBe(false);
  const remote = shop.repositoryUrl.replace('file://', '');
  expect(await agentGit(remote, 'rev-parse', `refs/heads/${branch}`)).toBe(agentCommit);
  expect(await refsOf(decoy)).toBe(decoyBefore);

  // A workspace seeded again from the mirror checks out the agent's `.gitattributes` (filter=evil)
  // with no filter config of the agent's: still nothing runs.
  await workspaces.remove(feature);
  const again = await workspaces.prepare(shop, feature, branch);
  expect(await agentGit(again, 'rev-parse', 'HEAD')).toBe(agentCommit);
  expect(await agentGit(again, 'branch', '--show-current')).toBe(branch);
  expect(existsSync(join(again, 'gift-cards.js'))).toBe(true);
  expect(existsSync(canary)).toBe(false);
});

it('an ext:: push URL planted in the workspace is never used', async () => {
  const shop = await project('extshop');
  const decoy = await bareRepo('extdecoy');
  const root = join(dir, 'ws-ext');
  const workspaces = gitWorkspaces(root);
  const feature = await store.features.create(shop.id, { title: 'Ext' });
  const branch = branchNameFor(feature.key, feature.title);
  const ws = await workspaces.prepare(shop, feature, branch);
  await writeFile(join(ws, 'ext.js'), '1;\n');
  await agentGit(ws, 'add', '.');
  await agentGit(ws, 'commit', '-q', '-m', 'ext');
  await exportBundle({ workspace: ws, branch, defaultBranch: shop.defaultBranch });
  await agentGit(ws, 'config', 'protocol.ext.allow', 'always');
  await plantHostileGit(ws, { decoy, pushUrl: `ext::sh -c touch% ${canary}` });

  await workspaces.publish(shop, feature, branch);
  expect(existsSync(canary)).toBe(false);
  expect(
    await agentGit(
      shop.repositoryUrl.replace('file://', ''),
      'log',
      '--format=%s',
      '-1',
      `refs/heads/${branch}`,
    ),
  ).toBe('ext');
});

it('a bundle path through a symlink (file or directory) is refused with a clear error', async () => {
  const shop = await project('linkshop');
  const root = join(dir, 'ws-link');
  const workspaces = gitWorkspaces(root);
  // A bundle on the host the agent would like the orchestrator to push for it.
  const elsewhere = await mkdtemp(join(dir, 'host-'));
  const hostRepo = join(elsewhere, 'repo');
  await exec('git', ['clone', '-q', shop.repositoryUrl, hostRepo]);
  await agentGit(hostRepo, 'commit', '-q', '--allow-empty', '-m', 'from the host');
  const hostBundle = join(elsewhere, 'branch.bundle');

  for (const kind of ['file', 'directory'] as const) {
    const feature = await store.features.create(shop.id, { title: `Link ${kind}` });
    const branch = branchNameFor(feature.key, feature.title);
    await agentGit(hostRepo, 'branch', '-f', branch, 'HEAD');
    await rm(hostBundle, { force: true });
    await agentGit(hostRepo, 'bundle', 'create', '-q', hostBundle, `refs/heads/${branch}`);
    const ws = await workspaces.prepare(shop, feature, branch);
    await mkdir(join(ws, '.git'), { recursive: true });
    if (kind === 'file') {
      await mkdir(join(ws, '.git', 'omakase'), { recursive: true });
      await symlink(hostBundle, join(ws, '.git', 'omakase', 'branch.bundle'));
    } else {
      await symlink(elsewhere, join(ws, '.git', 'omakase'));
    }
    await expect(workspaces.publish(shop, feature, branch)).rejects.toThrow(
      /branch\.bundle: a symlink or non-directory on the path; refusing to follow it/,
    );
    const remote = shop.repositoryUrl.replace('file://', '');
    expect(await agentGit(remote, 'for-each-ref', `refs/heads/${branch}`)).toBe('');
  }
});

it('the GitHub token is never sent to the host a workspace points its origin at', async () => {
  const seen: IncomingHttpHeaders[] = [];
  const trap: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const trapUrl = `http://127.0.0.1:${(trap.address() as { port: number }).port}/acme/shop.git`;
  const github = await startFakeGitHub({ token: 'ghp_org_token_0123456789' });
  try {
    // A GitHub project (unreachable offline). Its mirror and workspace are built the way an
    // earlier refresh and seed would have left them, from a local copy of the repository.
    const upstream = await bareRepo('ghshop');
    const shop = await project('ghshop-p', 'https://github.com/acme/shop.git');
    const mirror = join(dir, 'gh-mirrors', shop.orgId, `${shop.id}.git`);
    await mkdir(join(dir, 'gh-mirrors', shop.orgId), { recursive: true });
    await exec('git', ['init', '-q', '--bare', mirror]);
    await agentGit(mirror, 'fetch', '-q', upstream, '+refs/heads/*:refs/remotes/origin/*');
    const root = join(dir, 'ws-gh');
    const feature = await store.features.create(shop.id, { title: 'Token' });
    const branch = branchNameFor(feature.key, feature.title);
    const ws = join(root, feature.orgId, feature.id);
    await exec('git', ['clone', '-q', upstream, ws]);
    await agentGit(ws, 'checkout', '-q', '-b', branch);
    await agentGit(ws, 'commit', '-q', '--allow-empty', '-m', 'work');
    await exportBundle({ workspace: ws, branch, defaultBranch: shop.defaultBranch });
    await agentGit(ws, 'remote', 'set-url', 'origin', trapUrl);
    await agentGit(ws, 'config', 'remote.origin.pushurl', trapUrl);

    const workspaces = gitWorkspaces(root, {
      mirrorsDir: join(dir, 'gh-mirrors'),
      githubFor: async () => ({
        token: 'ghp_org_token_0123456789',
        client: createGitHub({ token: 'ghp_org_token_0123456789', baseUrl: github.url }),
      }),
    });
    // The push goes to github.com (and fails here, offline), never to the workspace's origin.
    await expect(workspaces.publish(shop, feature, branch)).rejects.toThrow(/github\.com/);
    expect(seen).toEqual([]);
  } finally {
    trap.close();
    await github.stop();
  }
});

it('awaits the URL policy before every fetch and push, and stops when it refuses', async () => {
  const shop = await project('policed');
  const checked: string[] = [];
  let refuse = false;
  const workspaces = gitWorkspaces(join(dir, 'ws-policy'), {
    checkRemote: async (p) => {
      checked.push(p.repositoryUrl);
      if (refuse) throw new Error('repositoryUrl is not allowed');
    },
  });
  const feature = await store.features.create(shop.id, { title: 'Policy' });
  const branch = branchNameFor(feature.key, feature.title);
  await workspaces.prepare(shop, feature, branch);
  await workspaces.publish(shop, feature, branch);
  expect(checked).toEqual([shop.repositoryUrl, shop.repositoryUrl]);
  refuse = true;
  const other = await store.features.create(shop.id, { title: 'Refused' });
  await expect(workspaces.prepare(shop, other, branchNameFor(other.key, other.title))).rejects.toThrow(
    /repositoryUrl is not allowed/,
  );
});

it('refuses a leading-dash branch or repository URL at the git layer', async () => {
  const shop = await project('dashes');
  const workspaces = gitWorkspaces(join(dir, 'ws-dash'));
  const feature = await store.features.create(shop.id, { title: 'Dash' });
  await expect(workspaces.prepare(shop, feature, '--upload-pack=touch')).rejects.toThrow(
    /branch is not a valid git branch name/,
  );
  const dashed = { ...shop, repositoryUrl: '--upload-pack=touch /tmp/x' };
  await expect(workspaces.prepare(dashed, feature, 'omakase/x')).rejects.toThrow(
    /repositoryUrl must not start with "-"/,
  );
  const ext = { ...shop, repositoryUrl: `ext::sh -c touch% ${canary}` };
  await expect(workspaces.prepare(ext, feature, 'omakase/x')).rejects.toThrow(/repositoryUrl must be/);
  expect(existsSync(canary)).toBe(false);
});
