/**
 * The pipeline on public repositories nobody here wrote (`@omakase/test-fixtures`), through the
 * real runner, sandbox and Claude Agent SDK: lukeed/dequal (npm install from the registry, uvu)
 * and benjaminp/six (a virtualenv, pytest). The commands are the ones detected from each
 * repository; the setup run installs them in the sandbox, the platform's own test run decides
 * the tester's verdict, and a fresh clone of the pushed branch passes the project's tests.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setupOutputSchema } from '@omakase/api-contract';
import type { AgentRun, Feature, Project } from '@omakase/domain';
import { answerFeature, startFeature, stopFeature } from '@omakase/engine';
import { FIXTURES, type FixtureName, fixtureRepository } from '@omakase/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureIn, type Stack, startStack, waitFor, waitUntilSettled } from './stack';

const exec = promisify(execFile);
const OPTS = { orgMaxConcurrentAgents: 10 };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.startOrchestrator('orch-real');
}, 300_000);
afterAll(async () => {
  await stack?.close();
});

/** A project on a copy of the fixture inside the org's local repositories. */
async function fixtureProject(name: FixtureName, key: string, commands: { setup?: string } = {}) {
  const dir = await fixtureRepository(name, join(stack.dataDir, 'repos', stack.project.orgId, key));
  return stack.store.projects.create({
    name: key,
    keyPrefix: key.toUpperCase().slice(0, 4),
    repositoryUrl: `file://${dir}`,
    settings: { maxConcurrentAgents: 2, budgetPerFeatureUsd: 5, commands },
  });
}

async function runToDone(project: Project, title: string) {
  const feature = await stack.store.features.create(project.id, { title, acceptanceCriteria: [title] });
  expect((await startFeature(stack.store, feature.id, OPTS)).ok).toBe(true);
  const done = await waitUntilSettled(stack.storage, stack.store, feature);
  expect({ status: done.status, why: done.counters.lastFailure }).toEqual({ status: 'done', why: null });
  return { feature: done, runs: await stack.store.runs.listByFeature(feature.id) };
}

const setupOf = (runs: AgentRun[]) => {
  expect(runs[0]).toMatchObject({ role: 'setup', status: 'succeeded' });
  return setupOutputSchema.parse(runs[0]!.output);
};
const logOf = async (run: AgentRun) =>
  (await stack.store.events.list(run.id)).map((e) => JSON.stringify(e.payload)).join('\n');
const testerOf = (runs: AgentRun[]) => runs.filter((r) => r.role === 'tester').at(-1)!;

/** Clones the pushed branch fresh and runs what a developer would: the fixture's setup and test. */
async function freshCloneTests(project: Project, feature: Feature, name: FixtureName) {
  const check = await mkdtemp(join(tmpdir(), `omakase-${name}-`));
  const repo = project.repositoryUrl.replace('file://', '');
  await exec('git', ['clone', '--quiet', '--branch', feature.branchName!, repo, check]);
  await exec('sh', ['-c', FIXTURES[name].setup], { cwd: check });
  return exec('sh', ['-c', `${FIXTURES[name].test} 2>&1`], { cwd: check });
}

describe('real repositories through the pipeline', () => {
  it('lukeed/dequal: npm install in the sandbox, uvu decides, a second feature reuses the environment', async () => {
    const project = await fixtureProject('dequal', 'dequal');
    const { feature, runs } = await runToDone(project, 'Document deep equality for maps');
    expect(runs.map((r) => r.role)).toEqual([
      'setup',
      'architect',
      'coder',
      'reviewer',
      'coder',
      'reviewer',
      'tester',
    ]);

    // Setup installed from the registry inside the sandbox and kept the result for the project.
    const setup = setupOf(runs);
    expect(setup.setup).toMatchObject({ command: 'npm install', exitCode: 0, timedOut: false });
    expect(setup.environment).toMatchObject({ restored: false, saved: true });
    expect(setup.environment!.paths).toContain('node_modules');
    expect(await logOf(runs[0]!)).toMatch(/added \d+ packages/);
    // The baseline is the project's own test run at the base commit: uvu, green.
    expect(setup.baseline).toMatchObject({ command: 'npm test', exitCode: 0, failing: [] });

    // The tester's verdict is the platform's test run of the branch, with uvu's own output.
    const tester = testerOf(runs);
    expect(tester.output).toMatchObject({ passed: true, platformVerdict: { passed: true } });
    expect(await logOf(tester)).toMatch(/Total:\s+\d+/);

    const fresh = await freshCloneTests(project, feature, 'dequal');
    expect(fresh.stdout).toMatch(/Passed:\s+\d+/);
    expect(fresh.stdout).not.toMatch(/Skipped:\s+[1-9]|Failed/);

    // The second feature of the project does not reinstall: the cache restores node_modules.
    const launches = stack.orchestrators[0]!.handlers.launches;
    const second = await runToDone(project, 'Document deep equality for sets');
    const restored = setupOf(second.runs);
    expect(restored.setup).toBeNull();
    expect(restored.environment).toMatchObject({ restored: true, key: setup.environment!.key });
    expect(restored.environment!.paths).toContain('node_modules');
    // No runner started for it: six agent runs, nothing for setup.
    expect(stack.orchestrators[0]!.handlers.launches - launches).toBe(second.runs.length - 1);
    expect(testerOf(second.runs).output).toMatchObject({ passed: true });
  });

  it('benjaminp/six: a virtualenv, pytest runs the tester’s committed test on the branch', async () => {
    const project = await fixtureProject('six', 'six');
    const { feature, runs } = await runToDone(project, 'Note the moves table');
    const setup = setupOf(runs);
    expect(setup.setup).toMatchObject({ exitCode: 0 });
    expect(setup.setup!.command).toMatch(/^python3 -m venv --system-site-packages \.venv/);
    expect(setup.environment!.paths).toContain('.venv');
    expect(setup.baseline).toMatchObject({ command: '.venv/bin/python -m pytest', exitCode: 0 });

    const tester = testerOf(runs);
    expect(tester.output).toMatchObject({ passed: true, platformVerdict: { passed: true } });
    expect(await logOf(tester)).toMatch(/\d+ passed/);

    // The tester's test is on the branch, and a fresh clone's pytest collects and passes it.
    const fresh = await freshCloneTests(project, feature, 'six');
    expect(fresh.stdout).toMatch(/test_omakase_\w+\.py \./);
    expect(fresh.stdout).toMatch(/\d+ passed/);
    expect(fresh.stdout).not.toMatch(/\d+ failed/);
  });

  it('a failing setup asks the human with the log tail; "skip" goes on to the architect', async () => {
    const project = await fixtureProject('six', 'broken', {
      setup: 'echo "resolving omakase-missing-dependency" && exit 3',
    });
    const feature = await stack.store.features.create(project.id, { title: 'Anything' });
    await startFeature(stack.store, feature.id, OPTS);
    const asked = await waitUntilSettled(stack.storage, stack.store, feature);
    expect(asked.status).toBe('needs_input');
    expect(asked.needsInput?.reason).toBe('setup_failed');
    expect(asked.needsInput?.question).toContain('resolving omakase-missing-dependency');
    expect(asked.needsInput?.question).toContain('exited with code 3');

    const skipped = await answerFeature(stack.store, feature.id, 'skip');
    expect(skipped.ok && skipped.value.status).toBe('architecting');
    await waitFor(
      stack.storage,
      () => featureIn(stack.store, feature, ['coding', 'reviewing']),
      'past the architect',
    );
    await stopFeature(stack.store, feature.id);
  });
});
