/**
 * After the tester's session: the platform decides, not the model. The tester's new or changed
 * test files are committed on the branch, the project's test command runs on that head (once
 * more when it fails, to tell flaky from broken), and the verdict — "no new failures" against the
 * base commit's baseline — goes into the run's output beside the model's own report, with any
 * disagreement between the two.
 */
import type { RunSpec } from '@omakase/api-contract';
import { type AgentIsolation, isolatedArgv } from './agent-isolation';
import { commandEnv } from './environment/command-env';
import type { EventSink } from './event-sink';
import type { Redactor } from './redact';
import { junitDirOf } from './setup-stage';
import {
  type BaselineSummary,
  type CrossCheck,
  crossCheck,
  decideVerdict,
  type ModelTestReport,
  type PlatformVerdict,
  runTestCommand,
  type TestRun,
  testFilesChanged,
} from './test-verdict';
import { commitPaths, git } from './workspace';

export interface TesterVerdictOptions {
  spec: RunSpec;
  workspace: string;
  isolation: AgentIsolation;
  sink: EventSink;
  redactor: Redactor;
  signal: AbortSignal;
  /** The tester's own report (its submit_test_report call), or null. */
  modelReport: ModelTestReport | null;
}

export interface TesterVerdict {
  platformVerdict: PlatformVerdict;
  crossCheck: CrossCheck;
  /** The commit of the tester's test files, when it wrote any. */
  testCommit: { sha: string; files: string[] } | null;
  baselineCommit: string | null;
}

export const TESTER_AUTHOR = { name: 'Omakase Tester', email: 'tester@omakase.local' } as const;
const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;

/** Null when the project has no test command: the model's report is all there is. */
export async function testerVerdict(opts: TesterVerdictOptions): Promise<TesterVerdict | null> {
  const { spec, workspace, sink } = opts;
  const command = spec.project.commands?.test;
  if (!command) return null;

  const status = await git(workspace, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const files = testFilesChanged(status);
  const title = spec.feature.title.replace(/\s+/g, ' ').trim();
  const testCommit =
    files.length > 0
      ? await commitPaths(workspace, files, `${spec.feature.key}: tests for ${title} (tester)`, TESTER_AUTHOR)
      : null;
  if (testCommit)
    sink.emit('file_edit', {
      kind: 'commit',
      sha: testCommit.sha,
      files: testCommit.files,
      branch: spec.workspace.branch,
    });

  const head = await run(opts, command, 'head');
  const failed = head.exitCode !== 0 || (head.tests ?? []).some((t) => t.status === 'failed');
  const rerun = failed && !head.timedOut && !head.aborted ? await run(opts, command, 'rerun') : null;
  const baseline: BaselineSummary | null = spec.baseline ?? null;
  const platformVerdict = decideVerdict({ head, rerun, baseline });
  const check = crossCheck(opts.modelReport, platformVerdict);
  sink.emit('verdict', {
    role: 'tester',
    source: 'platform',
    verdict: {
      passed: platformVerdict.passed,
      newFailures: platformVerdict.newFailures.length,
      preExisting: platformVerdict.preExisting.length,
      flaky: platformVerdict.flaky,
      reason: platformVerdict.reason,
    },
    crossCheck: check,
  });
  return { platformVerdict, crossCheck: check, testCommit, baselineCommit: baseline?.baseCommit ?? null };
}

/** The test report fields (`passed`, counts, `failures`) as the platform's run found them. */
export function platformReport(verdict: PlatformVerdict, model: Record<string, unknown>) {
  const failures = verdict.newFailures.map((f) => ({ name: f.id, message: f.message ?? 'failed' }));
  if (!verdict.passed && failures.length === 0)
    failures.push({ name: 'test command', message: verdict.reason ?? verdict.outputTail.slice(-2000) });
  // Exit-code-only runs count no tests: the model's counts are all there is.
  const counted = verdict.format !== 'exit_code';
  return {
    passed: verdict.passed,
    total: counted ? verdict.total : Number(model.total ?? 0),
    failed: counted ? verdict.newFailures.length : failures.length,
    failures,
  };
}

async function run(opts: TesterVerdictOptions, command: string, purpose: 'head' | 'rerun'): Promise<TestRun> {
  const toolUseId = `platform-tests-${purpose}`;
  opts.sink.emit('command', { toolUseId, command, purpose: `platform test run (${purpose})` });
  const result = await runTestCommand({
    command,
    cwd: opts.workspace,
    argvWrapper: (argv, cwd) => isolatedArgv(opts.isolation, argv, cwd),
    env: commandEnv(opts.isolation),
    timeoutMs: opts.spec.limits?.shellTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    signal: opts.signal,
    junitDir: junitDirOf(opts.workspace),
  });
  opts.sink.emit('output', {
    toolUseId,
    isError: result.exitCode !== 0,
    text: opts.redactor.redactString(result.outputTail),
  });
  return result;
}
