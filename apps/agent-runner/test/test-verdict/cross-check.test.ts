import { describe, expect, it } from 'vitest';
import { crossCheck, decideVerdict, type TestCase } from '../../src/test-verdict';
import { testRun } from './support';

const junit = (failed: string[], passed: number, skipped = 0) => {
  const tests: TestCase[] = [
    ...failed.map((id) => ({ id, status: 'failed' as const })),
    ...Array.from({ length: passed }, (_, i) => ({ id: `ok${i}`, status: 'passed' as const })),
    ...Array.from({ length: skipped }, (_, i) => ({ id: `skip${i}`, status: 'skipped' as const })),
  ];
  return testRun({ format: 'junit', tests, exitCode: failed.length > 0 ? 1 : 0 });
};

describe('crossCheck', () => {
  it('agrees when the tester reported what the platform found', () => {
    const platform = decideVerdict({ head: junit([], 10) });
    expect(crossCheck({ passed: true, total: 10, failed: 0 }, platform)).toEqual({
      agrees: true,
      disagreements: [],
    });
  });

  it('names the failing tests when the tester claimed a pass', () => {
    const platform = decideVerdict({ head: junit(['a::x', 'a::y'], 8) });
    const check = crossCheck({ passed: true, total: 10, failed: 0 }, platform);
    expect(check.agrees).toBe(false);
    expect(check.disagreements).toEqual([
      "the tester reported passed, the platform's run failed 2 tests (a::x, a::y)",
      "the tester reported 0 failed, the platform's run failed 2",
    ]);
  });

  it('flags a claimed failure the platform did not see, and says what explains it', () => {
    const platform = decideVerdict({
      head: junit(['old'], 9),
      baseline: { baseCommit: 'b', command: 'npm test', exitCode: 1, failing: ['old'], format: 'junit' },
    });
    const check = crossCheck({ passed: false, total: 10, failed: 1 }, platform);
    expect(check.disagreements).toEqual([
      "the tester reported a failure, the platform's run found no new failures (1 pre-existing)",
    ]);
  });

  it('accepts counts that skipped and flaky tests explain, and flags others', () => {
    const rerun = junit([], 7, 2);
    rerun.tests?.push({ id: 'flaky', status: 'passed' });
    const platform = decideVerdict({ head: junit(['flaky'], 7, 2), rerun });
    expect(platform.flaky).toEqual(['flaky']);
    // skipped tests left out of the total, the flaky test passing in the tester's own run: fine
    expect(crossCheck({ passed: true, total: 8, failed: 0 }, platform).agrees).toBe(true);
    expect(crossCheck({ passed: true, total: 10, failed: 1 }, platform).agrees).toBe(true);
    expect(crossCheck({ passed: true, total: 25, failed: 0 }, platform).disagreements).toEqual([
      "the tester reported 25 tests, the platform's run had 8–10",
    ]);
  });

  it('compares only the verdict when the platform has no per-test results', () => {
    const platform = decideVerdict({ head: testRun({ exitCode: 1 }) });
    expect(crossCheck({ passed: true, total: 44, failed: 0 }, platform).disagreements).toEqual([
      "the tester reported passed, the platform's run failed: the test command exited with code 1",
    ]);
    expect(crossCheck({ passed: false, total: 44, failed: 3 }, platform).agrees).toBe(true);
  });

  it('disagrees when the tester reported nothing', () => {
    expect(crossCheck(null, decideVerdict({ head: testRun() }))).toEqual({
      agrees: false,
      disagreements: ['the tester did not report a test result'],
    });
  });
});
