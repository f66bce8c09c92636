import { describe, expect, it } from 'vitest';
import {
  baselineSummary,
  decideVerdict,
  platformVerdictSchema,
  type TestCase,
  type TestRun,
} from '../../src/test-verdict';
import { testRun } from './support';

const cases = (spec: Record<string, TestCase['status']>): TestCase[] =>
  Object.entries(spec).map(([id, status]) =>
    status === 'failed' ? { id, status, message: `${id} broke` } : { id, status },
  );

const perTest = (spec: Record<string, TestCase['status']>, overrides: Partial<TestRun> = {}) => {
  const tests = cases(spec);
  return testRun({
    format: 'junit',
    tests,
    exitCode: tests.some((t) => t.status === 'failed') ? 1 : 0,
    ...overrides,
  });
};

describe('decideVerdict with per-test results', () => {
  it('passes a green run and counts it', () => {
    const verdict = decideVerdict({ head: perTest({ a: 'passed', b: 'passed', c: 'skipped' }) });
    expect(verdict).toMatchObject({ passed: true, total: 3, failed: 0, skipped: 1, newFailures: [] });
  });

  it('fails on a failure the baseline did not have, with its message', () => {
    const verdict = decideVerdict({ head: perTest({ a: 'passed', b: 'failed' }) });
    expect(verdict.passed).toBe(false);
    expect(verdict.newFailures).toEqual([{ id: 'b', message: 'b broke' }]);
    expect(verdict.reason).toMatch(/1 test\(s\) failed/);
  });

  it('reports failures that also failed on the baseline as pre-existing, not as failures', () => {
    const base = baselineSummary(perTest({ a: 'failed', b: 'passed' }), 'abc123');
    expect(base).toEqual({
      baseCommit: 'abc123',
      command: 'npm test',
      exitCode: 1,
      failing: ['a'],
      format: 'junit',
    });
    const verdict = decideVerdict({ head: perTest({ a: 'failed', b: 'passed' }), baseline: base });
    expect(verdict).toMatchObject({ passed: true, preExisting: ['a'], newFailures: [], failed: 1 });
  });

  it('treats a failure that passed on the rerun as flaky', () => {
    const verdict = decideVerdict({
      head: perTest({ a: 'failed', b: 'failed' }),
      rerun: perTest({ a: 'passed', b: 'failed' }),
    });
    expect(verdict).toMatchObject({ passed: false, flaky: ['a'], newFailures: [{ id: 'b' }] });
  });

  it('keeps pre-existing, flaky and new apart in one run', () => {
    const verdict = decideVerdict({
      head: perTest({ old: 'failed', flaky: 'failed', fresh: 'failed', fine: 'passed' }),
      rerun: perTest({ old: 'failed', flaky: 'passed', fresh: 'failed', fine: 'passed' }),
      baseline: baselineSummary(perTest({ old: 'failed', flaky: 'passed', fine: 'passed' }), 'base'),
    });
    expect(verdict).toMatchObject({
      passed: false,
      preExisting: ['old'],
      flaky: ['flaky'],
      newFailures: [{ id: 'fresh' }],
      failed: 3,
      total: 4,
    });
  });

  it('ignores a baseline or rerun of another command', () => {
    const head = perTest({ a: 'failed' });
    const verdict = decideVerdict({
      head,
      baseline: baselineSummary(perTest({ a: 'failed' }, { command: 'make test' }), 'base'),
      rerun: perTest({ a: 'passed' }, { command: 'make test' }),
    });
    expect(verdict).toMatchObject({ passed: false, newFailures: [{ id: 'a' }], preExisting: [], flaky: [] });
  });

  it('fails a timed-out run even with no failing test', () => {
    const verdict = decideVerdict({ head: perTest({ a: 'passed' }, { timedOut: true, exitCode: null }) });
    expect(verdict).toMatchObject({ passed: false, timedOut: true, reason: 'the test command timed out' });
  });

  it('judges a non-zero exit without any failing test by the exit code (a crash must not pass)', () => {
    const head = perTest({ a: 'passed' }, { exitCode: 2 });
    expect(decideVerdict({ head })).toMatchObject({ passed: false, reason: expect.stringMatching(/code 2/) });
    const redBase = baselineSummary(testRun({ exitCode: 2 }), 'base');
    expect(decideVerdict({ head, baseline: redBase })).toMatchObject({
      passed: true,
      preExistingSuiteFailure: true,
    });
  });

  it('is serialisable and matches its schema', () => {
    const verdict = decideVerdict({ head: perTest({ a: 'failed', b: 'passed' }) });
    expect(platformVerdictSchema.parse(JSON.parse(JSON.stringify(verdict)))).toEqual(verdict);
  });
});

describe('decideVerdict on the exit code alone', () => {
  it('passes exit 0 and fails anything else', () => {
    expect(decideVerdict({ head: testRun({ exitCode: 0 }) })).toMatchObject({
      passed: true,
      total: 0,
      format: 'exit_code',
    });
    expect(decideVerdict({ head: testRun({ exitCode: 1 }) })).toMatchObject({
      passed: false,
      reason: 'the test command exited with code 1',
    });
    expect(decideVerdict({ head: testRun({ exitCode: null }) })).toMatchObject({
      passed: false,
      reason: 'the test command was killed by a signal',
    });
  });

  it('passes a red suite that was red on the base commit too', () => {
    const baseline = baselineSummary(testRun({ exitCode: 1 }), 'base');
    expect(baseline.failing).toEqual([]);
    expect(decideVerdict({ head: testRun({ exitCode: 1 }), baseline })).toMatchObject({
      passed: true,
      preExistingSuiteFailure: true,
    });
  });

  it('fails when the base commit was green', () => {
    const baseline = baselineSummary(testRun({ exitCode: 0 }), 'base');
    expect(decideVerdict({ head: testRun({ exitCode: 1 }), baseline }).passed).toBe(false);
  });

  it('passes a flaky suite whose rerun exited 0, not one whose rerun timed out', () => {
    expect(decideVerdict({ head: testRun({ exitCode: 1 }), rerun: testRun({ exitCode: 0 }) })).toMatchObject({
      passed: true,
      flakySuite: true,
    });
    expect(
      decideVerdict({ head: testRun({ exitCode: 1 }), rerun: testRun({ exitCode: 0, timedOut: true }) })
        .passed,
    ).toBe(false);
  });

  it('never passes an aborted or timed-out head', () => {
    const baseline = baselineSummary(testRun({ exitCode: 1 }), 'base');
    expect(decideVerdict({ head: testRun({ exitCode: null, timedOut: true }), baseline }).passed).toBe(false);
    expect(decideVerdict({ head: testRun({ exitCode: null, aborted: true }), baseline }).passed).toBe(false);
  });
});
