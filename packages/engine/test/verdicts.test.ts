/**
 * The engine reads a finished run's output with the runner contract's schemas (@omakase/api-contract),
 * the same ones the runner's submit tools enforce: what a runner can record is what moves the pipeline.
 */
import type { AgentRun } from '@omakase/domain';
import { describe, expect, it } from 'vitest';
import { eventForRun } from '../src';

const run = (role: AgentRun['role'], output: Record<string, unknown>) =>
  ({ role, status: 'succeeded', attempt: 1, output, exitReason: 'submitted', costUsd: 0 }) as AgentRun;
const malformed = (reason: string) => ({ type: 'stage_failed', attempt: 1, reason });

const platformVerdict = {
  passed: false,
  format: 'tap',
  exitCode: 1,
  total: 3,
  failed: 1,
  skipped: 0,
  newFailures: [{ id: 'adds', message: 'expected 3' }],
  preExisting: [],
  flaky: [],
  timedOut: false,
  reason: '1 new failure',
  outputTail: 'not ok 1 adds',
};

describe('eventForRun', () => {
  it('takes a full plan, not a bare summary', () => {
    const plan = { summary: 'Add it', files: ['a.ts'], steps: ['write'], risks: [] };
    expect(eventForRun(run('architect', plan))).toEqual({ type: 'plan_ready', plan });
    expect(eventForRun(run('architect', { summary: 'Add it' }))).toEqual(malformed('malformed plan'));
  });

  it('takes a review with a known verdict and well-formed comments', () => {
    const review = { verdict: 'REQUEST_CHANGES', comments: [{ file: 'a.ts', line: 3, body: 'Rename' }] };
    expect(eventForRun(run('reviewer', review))).toEqual({
      type: 'review',
      verdict: 'REQUEST_CHANGES',
      comments: ['a.ts:3: Rename'],
    });
    expect(eventForRun(run('reviewer', { ...review, verdict: 'MAYBE' }))).toEqual(
      malformed('malformed review verdict'),
    );
    expect(
      eventForRun(run('reviewer', { verdict: 'APPROVE', comments: [{ file: 'a.ts', line: 0, body: 'x' }] })),
    ).toEqual(malformed('malformed review verdict'));
  });

  it("follows the platform's verdict when there is one, else the model's report", () => {
    const report = { passed: true, total: 3, failed: 0, failures: [] };
    expect(eventForRun(run('tester', { ...report, platformVerdict }))).toEqual({
      type: 'test_report',
      passed: false,
      failures: ['adds: expected 3'],
    });
    expect(eventForRun(run('tester', report))).toEqual({ type: 'test_report', passed: true, failures: [] });
    expect(eventForRun(run('tester', { ...report, total: 2.5 }))).toEqual(malformed('malformed test report'));
  });

  it("reads a setup run's output in full", () => {
    const setup = { command: 'npm ci', exitCode: 1, timedOut: false, durationMs: 5, logTail: 'npm ERR!' };
    expect(eventForRun(run('setup', { setup, environment: null, baseline: null }))).toEqual({
      type: 'setup_failed',
      exitCode: 1,
      logTail: 'npm ERR!',
    });
    expect(eventForRun(run('setup', { setup: null, environment: null, baseline: null }))).toEqual({
      type: 'setup_ready',
      cached: false,
    });
    expect(eventForRun(run('setup', { setup: { exitCode: 0, timedOut: false, logTail: '' } }))).toEqual(
      malformed('malformed setup result'),
    );
  });
});
