/**
 * The push stage and the launch-time budget check on real git and Postgres, with agents that
 * finish at once (scripted results through the runner API's `recordRunResult`) and a loopback
 * GitHub: a pull request opened and linked (with the token the org saved, not the deployment's),
 * a remote that rejects the push, an exhausted budget.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSecurityStorage, createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import {
  branchNameFor,
  type OrgId,
  type Project,
  type SecurityStorage,
  type TenantStore,
} from '@omakase/domain';
import { answerFeature, retryFeature, startFeature, stopFeature } from '@omakase/engine';
import { type FakeGitHub, startFakeGitHub } from '@omakase/github/testing';
import { createEnvelope, createOrgSecretReader, localKeyProvider } from '@omakase/secrets';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { scriptedDriver } from '../bench/scripted-agents';
import { gitWorkspaces } from '../src/git/publish';
import { type RunningOrchestrator, startOrchestrator } from '../src/orchestrator';
import { orgCredentials } from '../src/org-credentials';
import { featureIn, waitFor } from './stack';
import { testOrchestratorDefaults } from './support-orchestrator';
import { saveOrgSecret } from './support-secrets';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).then((r) => r.stdout.trim());
const OPTS = { orgMaxConcurrentAgents: 10 };

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let store: TenantStore;
let security: SecurityStorage;
let github: FakeGitHub;
const ORG_GITHUB_TOKEN = 'ghp_saved_by_the_org_0123456789';
let orchestrator: RunningOrchestrator;

/** A bare remote with one commit on main; `rejectPushes` installs a pre-receive hook that declines. */
async function remote(name: string, rejectPushes = false): Promise<string> {
  const source = join(dir, `${name}-src`);
  await exec('git', ['init', '-q', '-b', 'main', source]);
  await writeFile(join(source, 'README.md'), `# ${name}\n`);
  await git(source, 'add', '.');
  await git(source, 'commit', '-q', '-m', 'initial');
  const bare = join(dir, `${name}.git`);
  await exec('git', ['clone', '-q', '--bare', source, bare]);
  if (rejectPushes) {
    const hook = join(bare, 'hooks', 'pre-receive');
    await writeFile(
      hook,
      `#!/bin/sh\necho attempt >> "${bare}/attempts"\necho "pushes are frozen" >&2\nexit 1\n`,
    );
    await chmod(hook, 0o755);
  }
  return bare;
}

async function project(
  name: string,
  opts: { rejectPushes?: boolean; budgetUsd?: number; requirePlanApproval?: boolean } = {},
): Promise<Project> {
  const bare = await remote(name, opts.rejectPushes);
  return store.projects.create({
    name,
    keyPrefix: name.toUpperCase().slice(0, 4),
    repositoryUrl: `file://${bare}`,
    settings: {
      maxConcurrentAgents: 2,
      budgetPerFeatureUsd: opts.budgetUsd ?? 5,
      commandAllowlist: [],
      requirePlanApproval: opts.requirePlanApproval ?? false,
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-publish-'));
  db = await createTestDatabase();
  storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'Publish', externalId: `org_${db.name}` });
  store = storage.forOrg(org.id);
  // The fake accepts only the org's token: the deployment's fallback would get 401.
  github = await startFakeGitHub({ token: ORG_GITHUB_TOKEN });
  security = createSecurityStorage(db.url);
  const envelope = createEnvelope(localKeyProvider(randomBytes(32).toString('base64')));
  await saveOrgSecret(security, envelope, org.id, 'github_token', ORG_GITHUB_TOKEN);
  const credentials = orgCredentials({
    reader: createOrgSecretReader(envelope, (orgId) => security.forOrg(orgId as OrgId).secrets),
    fallback: { githubToken: 'ghs_deployment_fallback' },
    githubApiUrl: github.url,
  });
  orchestrator = await startOrchestrator({
    ...testOrchestratorDefaults(dir),
    storage,
    driver: scriptedDriver(storage),
    // The project named `shop` stands for github.com/acme/shop; its remote is a local bare repo.
    workspaces: gitWorkspaces(join(dir, 'workspaces'), {
      githubFor: (orgId) => credentials.github(orgId),
      repoFor: (p) => (p.name === 'shop' ? { owner: 'acme', repo: 'shop' } : null),
    }),
    workerId: 'orch-publish',
  });
});

afterAll(async () => {
  await orchestrator?.stop();
  await github?.stop();
  await security?.close();
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('pushes the branch, opens the pull request on GitHub and links it on the feature', async () => {
  const shop = await project('shop');
  const feature = await store.features.create(shop.id, {
    title: 'Wishlist',
    acceptanceCriteria: ['Saves items'],
  });
  await startFeature(store, feature.id, OPTS);
  const done = await waitFor(storage, () => featureIn(store, feature, ['done', 'failed']), 'done');
  expect(done.status).toBe('done');
  const branch = branchNameFor(feature.key, feature.title);
  expect(done.branchName).toBe(branch);
  expect(done.pullRequestUrl).toBe('https://github.com/acme/shop/pull/1');
  expect(github.pulls).toEqual([
    expect.objectContaining({
      owner: 'acme',
      repo: 'shop',
      head: branch,
      base: 'main',
      title: `${feature.key}: Wishlist`,
    }),
  ]);
  expect(github.pulls[0]!.body).toContain('Saves items');
  const bare = shop.repositoryUrl.replace('file://', '');
  expect(await git(bare, 'rev-parse', '--verify', `refs/heads/${branch}`)).toMatch(/^[0-9a-f]{40}$/);
});

it('a remote that rejects the push: retried, then failed with the reason recorded', async () => {
  const frozen = await project('frozen', { rejectPushes: true });
  const feature = await store.features.create(frozen.id, { title: 'Gift cards' });
  const pullsBefore = github.pulls.length;
  await startFeature(store, feature.id, OPTS);
  const failed = await waitFor(
    storage,
    () => featureIn(store, feature, ['done', 'failed']),
    'failed',
    60_000,
  );
  expect(failed.status).toBe('failed');
  expect(failed.counters.stage).toBe('pushing');
  expect(failed.counters.lastFailure).toMatch(/^pushing: push failed: .*pre-receive hook declined/);
  const attempts = await readFile(join(frozen.repositoryUrl.replace('file://', ''), 'attempts'), 'utf8');
  expect(attempts.trim().split('\n')).toHaveLength(3);
  // Only the push was retried: each agent stage ran once.
  const runs = await store.runs.listByFeature(feature.id);
  expect(runs.map((r) => `${r.role}:${r.status}`)).toEqual([
    'setup:succeeded',
    'architect:succeeded',
    'coder:succeeded',
    'reviewer:succeeded',
    'tester:succeeded',
  ]);
  expect(github.pulls).toHaveLength(pullsBefore);
});

it('refuses to launch a run once the feature spent its budget: needs input with the reason', async () => {
  // Scripted runs cost $0.001 each: the architect and coder fit, the reviewer does not.
  const tight = await project('tight', { budgetUsd: 0.0015 });
  const feature = await store.features.create(tight.id, { title: 'Search' });
  const launchesBefore = orchestrator.handlers.launches;
  await startFeature(store, feature.id, OPTS);
  const paused = await waitFor(
    storage,
    () => featureIn(store, feature, ['needs_input', 'done', 'failed']),
    'budget',
  );
  expect(paused.status).toBe('needs_input');
  expect(paused.needsInput?.question).toMatch(/spent \$0\.00 of its \$0\.00 budget while reviewing/);
  const runs = await store.runs.listByFeature(feature.id);
  expect(runs.map((r) => `${r.role}:${r.status}:${r.exitReason}`)).toEqual([
    'setup:succeeded:completed',
    'architect:succeeded:submitted',
    'coder:succeeded:submitted',
    'reviewer:cancelled:budget_exceeded',
  ]);
  expect(orchestrator.handlers.launches - launchesBefore).toBe(2);
});

it('waits for plan approval: a revision goes back to the architect, an approval on to coding and done', async () => {
  const gated = await project('gated', { requirePlanApproval: true });
  const feature = await store.features.create(gated.id, { title: 'Gift cards' });
  await startFeature(store, feature.id, OPTS);
  const awaitingPlan = () =>
    waitFor(storage, () => featureIn(store, feature, ['needs_input']), 'the plan question');

  const first = await awaitingPlan();
  expect(first.needsInput).toMatchObject({ reason: 'plan_approval', answer: null });
  expect(first.needsInput?.question).toMatch(/^The architect's plan:/);
  expect((await store.runs.listByFeature(feature.id)).map((r) => r.role)).toEqual(['setup', 'architect']);

  expect((await answerFeature(store, feature.id, 'Split it into two steps')).ok).toBe(true);
  await waitFor(
    storage,
    async () =>
      (await store.runs.listByFeature(feature.id)).length === 3 && featureIn(store, feature, ['needs_input']),
    'the revised plan',
  );
  const revision = (await store.runs.listByFeature(feature.id))[2]!;
  expect(revision.role).toBe('architect');
  expect(revision.input).toMatchObject({ humanAnswer: 'Split it into two steps' });

  expect((await answerFeature(store, feature.id, 'approve')).ok).toBe(true);
  const done = await waitFor(storage, () => featureIn(store, feature, ['done', 'failed']), 'done');
  expect(done.status).toBe('done');
  const roles = (await store.runs.listByFeature(feature.id)).map((r) => r.role);
  expect(roles).toEqual(['setup', 'architect', 'architect', 'coder', 'reviewer', 'tester']);
});

it('keeps the workspace of a feature stopped during its push, and the retry pushes from it', async () => {
  const slow = await project('slow');
  // The first push waits in the remote's hook until the test lets it through.
  const bare = join(dir, 'slow.git');
  const hook = join(bare, 'hooks', 'pre-receive');
  await writeFile(
    hook,
    `#!/bin/sh\ncat > /dev/null\ntouch "${bare}/entered"\nwhile [ ! -f "${bare}/release" ]; do sleep 0.05; done\nexit 0\n`,
  );
  await chmod(hook, 0o755);
  const feature = await store.features.create(slow.id, { title: 'Slow push' });
  await startFeature(store, feature.id, OPTS);
  await vi.waitFor(() => expect(existsSync(join(bare, 'entered'))).toBe(true), { timeout: 30_000 });

  expect((await stopFeature(store, feature.id)).ok).toBe(true);
  await writeFile(join(bare, 'release'), '');
  const workspace = join(dir, 'workspaces', feature.orgId, feature.id);
  // The push item finishes against a cancelled feature: nothing moves, the checkout stays.
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    await vi.waitFor(
      async () => {
        const [open] = await sql<{ n: number }[]>`
          select count(*)::int as n from work_items
          where subject_id = ${feature.id} and kind = 'feature.push' and completed_at is null`;
        expect(open!.n).toBe(0);
      },
      { timeout: 30_000, interval: 50 },
    );
  } finally {
    await sql.end();
  }
  expect((await store.features.get(feature.id))?.status).toBe('cancelled');
  expect(existsSync(join(workspace, '.git'))).toBe(true);

  expect((await retryFeature(store, feature.id)).ok).toBe(true);
  const done = await waitFor(storage, () => featureIn(store, feature, ['done', 'failed']), 'done');
  expect(done.status).toBe('done');
  await vi.waitFor(() => expect(existsSync(workspace)).toBe(false), { timeout: 10_000 });
});
