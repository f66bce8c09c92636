/**
 * The platform's verdict after a tester run, on a real git checkout with Node's test runner
 * (TAP): the tester's test files are committed, a failure already on the base commit does not
 * fail the feature, a test that passes on the rerun is flagged flaky, a new failure fails it.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunSpec, SetupOutput } from '@omakase/api-contract';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSink } from '../../src/event-sink';
import { createRedactor } from '../../src/redact';
import { runSetup } from '../../src/setup-stage';
import { testerVerdict } from '../../src/tester-verdict';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd }).then((r) => r.stdout.trim());

let root: string;
let remote: string;

const OLD_FAILURE = `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('old rounding bug', () => assert.equal(0.1 + 0.2, 0.3));
test('adds', () => assert.equal(1 + 1, 2));
`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omakase-verdict-'));
  remote = join(root, 'remote');
  await mkdir(join(remote, 'test'), { recursive: true });
  await writeFile(join(remote, 'package.json'), '{"name":"x","type":"module"}\n');
  await writeFile(join(remote, 'test', 'old.test.js'), OLD_FAILURE);
  await git(remote, 'init', '-q', '-b', 'main');
  await git(remote, 'add', '-A');
  await git(remote, 'commit', '-qm', 'base with a known failure');
});
afterAll(() => rm(root, { recursive: true, force: true }));

function spec(role: 'setup' | 'tester', baseline?: SetupOutput['baseline']): RunSpec {
  return {
    run: { id: 'run_tester1', role, attempt: 1, input: {} },
    feature: { key: 'X-1', title: 'Sum', description: '', acceptanceCriteria: [] },
    project: {
      repositoryUrl: `file://${remote}`,
      defaultBranch: 'main',
      commandAllowlist: [],
      budgetUsd: 1,
      commands: { test: 'node --test' },
    },
    workspace: { branch: 'omakase/x-1-sum' },
    ...(baseline ? { baseline } : {}),
    limits: { maxTurns: 1, wallClockMs: 120_000, shellTimeoutMs: 60_000 },
  };
}

const common = (workspace: string) => ({
  workspace,
  sink: new EventSink({ send: async () => {} }),
  redactor: createRedactor([]),
  signal: new AbortController().signal,
  isolation: { mode: 'none' as const, workspace },
});

/** A checkout on the feature branch with its baseline recorded by the setup stage, as in the pipeline. */
async function checkout(name: string) {
  const workspace = join(root, name);
  const setup = await runSetup({
    ...common(workspace),
    spec: spec('setup'),
    environment: {},
    logger: pino({ level: 'silent' }),
  });
  const baseline = (setup.output as SetupOutput).baseline;
  expect(baseline).toMatchObject({ exitCode: 1, format: 'tap' });
  expect(baseline?.failing).toHaveLength(1);
  return { workspace, baseline };
}

describe('platform test verdict', () => {
  it("commits the tester's test files and does not blame the feature for a failure the base already had", async () => {
    const { workspace, baseline } = await checkout('pre-existing');
    await writeFile(
      join(workspace, 'test', 'sum.test.js'),
      "import { test } from 'node:test';\ntest('sum', () => {});\n",
    );
    await writeFile(join(workspace, 'scratch.txt'), 'not a test\n');
    const verdict = await testerVerdict({
      ...common(workspace),
      spec: spec('tester', baseline),
      modelReport: { passed: false, total: 3, failed: 1 },
    });
    expect(verdict?.platformVerdict).toMatchObject({
      passed: true,
      newFailures: [],
      preExisting: baseline?.failing,
    });
    expect(verdict?.testCommit?.files).toEqual(['test/sum.test.js']);
    expect(await git(workspace, 'log', '-1', '--format=%an %s')).toBe(
      'Omakase Tester X-1: tests for Sum (tester)',
    );
    expect(await git(workspace, 'status', '--porcelain')).toBe('?? scratch.txt');
    // The tester said "failed": the disagreement is recorded.
    expect(verdict?.crossCheck.agrees).toBe(false);
  });

  it('flags a test that fails once and passes on the rerun as flaky', async () => {
    const { workspace, baseline } = await checkout('flaky');
    await writeFile(
      join(workspace, 'test', 'flaky.test.js'),
      [
        "import { test } from 'node:test';",
        "import { existsSync, writeFileSync } from 'node:fs';",
        "test('eventually consistent', () => {",
        "  if (existsSync('.flaky-seen')) return;",
        "  writeFileSync('.flaky-seen', '');",
        "  throw new Error('first run');",
        '});',
        '',
      ].join('\n'),
    );
    const verdict = await testerVerdict({
      ...common(workspace),
      spec: spec('tester', baseline),
      modelReport: null,
    });
    expect(verdict?.platformVerdict.passed).toBe(true);
    expect(verdict?.platformVerdict.flaky).toHaveLength(1);
    expect(verdict?.platformVerdict.flaky[0]).toContain('eventually consistent');
  });

  it('a new failure fails the verdict, named', async () => {
    const { workspace, baseline } = await checkout('broken');
    await writeFile(
      join(workspace, 'test', 'sum.test.js'),
      "import { test } from 'node:test';\ntest('sum is wrong', () => { throw new Error('boom'); });\n",
    );
    const verdict = await testerVerdict({
      ...common(workspace),
      spec: spec('tester', baseline),
      modelReport: { passed: true, total: 3, failed: 0 },
    });
    expect(verdict?.platformVerdict.passed).toBe(false);
    expect(verdict?.platformVerdict.newFailures.map((f) => f.id).join()).toContain('sum is wrong');
    expect(verdict?.crossCheck.disagreements[0]).toContain('the tester reported passed');
  });
});
