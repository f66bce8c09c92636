/**
 * The platform's verdict on a test run: "no new failures". Pure; the result is plain JSON.
 *
 * Per-test results: a head failure that also failed on the baseline (the base commit, same
 * command) is pre-existing, one that passed on the rerun is flaky; the rest are new failures.
 * Exit code only: head 0 passes; non-zero passes when the baseline was non-zero too (the suite
 * was already red) or the rerun exited 0 (flaky suite).
 * A per-test run that exits non-zero with no failing test (a crash, a collection error, a later
 * step of the command) is judged by the exit-code rules: missing failures must not pass.
 */
import {
  type BaselineSummary,
  baselineSummarySchema,
  type PlatformVerdict,
  platformVerdictSchema,
} from '@omakase/api-contract';
import type { TestRun } from './run-tests';

// The verdict's wire shapes are the runner contract's (@omakase/api-contract): defined once.
export { type BaselineSummary, baselineSummarySchema, type PlatformVerdict, platformVerdictSchema };

export function baselineSummary(run: TestRun, baseCommit: string): BaselineSummary {
  return {
    baseCommit,
    command: run.command,
    exitCode: run.exitCode,
    failing: (run.tests ?? []).filter((t) => t.status === 'failed').map((t) => t.id),
    format: run.format,
  };
}

export interface VerdictInput {
  head: TestRun;
  rerun?: TestRun | null;
  baseline?: BaselineSummary | null;
}

export function decideVerdict(input: VerdictInput): PlatformVerdict {
  const { head } = input;
  // A baseline or rerun of another command says nothing about this one.
  const baseline = input.baseline?.command === head.command ? input.baseline : null;
  const rerun = input.rerun?.command === head.command ? input.rerun : null;
  const tests = head.tests ?? [];
  const failing = tests.filter((t) => t.status === 'failed');

  const baseFailing = new Set(baseline && baseline.format !== 'exit_code' ? baseline.failing : []);
  const rerunPassed = new Set((rerun?.tests ?? []).filter((t) => t.status === 'passed').map((t) => t.id));
  // A rerun without per-test results that exited 0 passed every test.
  const rerunAllPassed = rerun !== null && rerun.tests === null && succeeded(rerun);
  const preExisting: string[] = [];
  const flaky: string[] = [];
  const newFailures: PlatformVerdict['newFailures'] = [];
  for (const test of failing) {
    if (baseFailing.has(test.id)) preExisting.push(test.id);
    else if (rerunAllPassed || rerunPassed.has(test.id)) flaky.push(test.id);
    else
      newFailures.push(test.message === undefined ? { id: test.id } : { id: test.id, message: test.message });
  }

  const verdict: PlatformVerdict = {
    passed: false,
    format: head.format,
    exitCode: head.exitCode,
    total: tests.length,
    failed: failing.length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    newFailures,
    preExisting,
    flaky,
    timedOut: head.timedOut,
    outputTail: head.outputTail,
  };
  if (head.timedOut) return { ...verdict, reason: 'the test command timed out' };
  if (head.aborted) return { ...verdict, reason: 'the test run was aborted' };
  if (newFailures.length > 0) {
    return { ...verdict, reason: `${newFailures.length} test(s) failed that did not fail before` };
  }
  // Per-test failures explain a non-zero exit; without any, the exit code decides.
  if (head.exitCode === 0 || failing.length > 0) return { ...verdict, passed: true };
  return { ...verdict, ...exitCodeVerdict(head, baseline, rerun) };
}

function exitCodeVerdict(
  head: TestRun,
  baseline: BaselineSummary | null,
  rerun: TestRun | null,
): Pick<PlatformVerdict, 'passed' | 'preExistingSuiteFailure' | 'flakySuite' | 'reason'> {
  if (baseline && baseline.exitCode !== 0) return { passed: true, preExistingSuiteFailure: true };
  if (rerun && succeeded(rerun)) return { passed: true, flakySuite: true };
  const how = head.exitCode === null ? 'was killed by a signal' : `exited with code ${head.exitCode}`;
  const what =
    head.format === 'exit_code' ? 'the test command' : 'the test command (no failing test reported)';
  return { passed: false, reason: `${what} ${how}` };
}

const succeeded = (run: TestRun) => run.exitCode === 0 && !run.timedOut && !run.aborted;
