/**
 * Planted secrets through a whole pipeline: the org saves a distinctive Anthropic key and GitHub
 * token; its runs get that key (and nobody else's), its pull request is opened with that token,
 * and neither value appears in any log line (orchestrator, driver, runner output at trace level)
 * or any stored run event.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createSecurityStorage } from '@omakase/db';
import type { OrgId, SecurityStorage } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { type FakeGitHub, startFakeGitHub } from '@omakase/github/testing';
import { createEnvelope, createOrgSecretReader, localKeyProvider } from '@omakase/secrets';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import { localRunnerCommand } from '../src/compute/runner-command';
import { gitWorkspaces } from '../src/git/publish';
import { orgCredentials } from '../src/org-credentials';
import { type Stack, startStack, waitUntilSettled } from './stack';
import { saveOrgSecret } from './support-secrets';

const PLANTED_KEY = `sk-ant-planted-${randomBytes(12).toString('hex')}`;
const PLANTED_TOKEN = `ghp_planted_${randomBytes(12).toString('hex')}`;
const logLines: string[] = [];
const deliveredKeys: string[] = [];
let stack: Stack;
let security: SecurityStorage;
let github: FakeGitHub;

beforeAll(async () => {
  stack = await startStack();
  security = createSecurityStorage(stack.databaseUrl);
  const envelope = createEnvelope(localKeyProvider(randomBytes(32).toString('base64')));
  const orgId = stack.store.orgId;
  await saveOrgSecret(security, envelope, orgId, 'anthropic_api_key', PLANTED_KEY);
  await saveOrgSecret(security, envelope, orgId, 'github_token', PLANTED_TOKEN);
  github = await startFakeGitHub({ token: PLANTED_TOKEN });
  const credentials = orgCredentials({
    reader: createOrgSecretReader(envelope, (id) => security.forOrg(id as OrgId).secrets),
    fallback: { anthropicApiKey: 'scripted-deployment-key' },
    githubApiUrl: github.url,
  });
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  const driver = new LocalProcessDriver({
    runnerCommand: localRunnerCommand(),
    hiddenDirs: [stack.dataDir],
    sandbox: 'auto',
    logger,
  });
  const start = driver.start.bind(driver);
  driver.start = (spec) => {
    deliveredKeys.push(spec.secrets.ANTHROPIC_API_KEY ?? '');
    return start(spec);
  };
  await stack.startOrchestrator('orch-secrets', driver, {
    credentials,
    logger,
    workspaces: gitWorkspaces(join(stack.dataDir, 'workspaces'), {
      githubFor: (id) => credentials.github(id),
      repoFor: () => ({ owner: 'acme', repo: 'shop' }),
    }),
  });
});
afterAll(async () => {
  await stack?.close();
  await security?.close();
  await github?.stop();
});

it("runs the org's pipeline with its own credentials and never logs or stores them", async () => {
  const { store, storage, project } = stack;
  const feature = await store.features.create(project.id, {
    title: 'Add a wishlist',
    acceptanceCriteria: ['A product can be added to the wishlist'],
  });
  await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });
  const done = await waitUntilSettled(storage, store, feature);
  expect(done.status).toBe('done');

  // Delivered: every run got the org's key, the pull request was opened with the org's token.
  const runs = await store.runs.listByFeature(feature.id);
  expect(deliveredKeys).toHaveLength(runs.length);
  expect(new Set(deliveredKeys)).toEqual(new Set([PLANTED_KEY]));
  expect(done.pullRequestUrl).toBe('https://github.com/acme/shop/pull/1');

  // Never written down: not in a log line, not in a run event.
  const events = (await Promise.all(runs.map((run) => store.events.list(run.id)))).flat();
  expect(events.length).toBeGreaterThan(runs.length);
  expect(logLines.some((line) => line.includes('"msg":"runner"'))).toBe(true); // runner output captured
  for (const planted of [PLANTED_KEY, PLANTED_TOKEN]) {
    expect(logLines.filter((line) => line.includes(planted))).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(planted);
  }
});
