import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_STATUSES, PIPELINE_STAGES } from '../src/entities';
import { INITIAL_PIPELINE_STATE, transition } from '../src/pipeline';
import {
  DEFAULT_PIPELINE_LIMITS,
  type PipelineEvent,
  type PipelineLimits,
  type PipelineState,
  REVIEW_VERDICTS,
} from '../src/pipeline-events';

const text = fc.string({ maxLength: 8 });
const event: fc.Arbitrary<PipelineEvent> = fc.oneof(
  fc.constant({ type: 'start' } as const),
  fc.record({ type: fc.constant('setup_ready' as const), cached: fc.boolean() }),
  fc.record({
    type: fc.constant('setup_failed' as const),
    exitCode: fc.option(fc.integer({ min: 0, max: 255 })),
    logTail: text,
  }),
  fc.record({ type: fc.constant('plan_ready' as const), plan: text }),
  fc.record({ type: fc.constant('code_ready' as const), summary: text }),
  fc.record({
    type: fc.constant('review' as const),
    verdict: fc.constantFrom(...REVIEW_VERDICTS),
    comments: fc.array(text, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('test_report' as const),
    passed: fc.boolean(),
    failures: fc.array(text, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('branch_pushed' as const),
    branchName: text,
    pullRequestUrl: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('stage_failed' as const),
    attempt: fc.integer({ min: -1, max: 5 }),
    reason: text,
  }),
  fc.record({
    type: fc.constant('budget_exceeded' as const),
    spentUsd: fc.double({ min: 0, max: 100, noNaN: true }),
    budgetUsd: fc.constant(5),
  }),
  fc.constant({ type: 'cancel' } as const),
  fc.constant({ type: 'source_removed' } as const),
  fc.constant({ type: 'retry' } as const),
  fc.record({ type: fc.constant('answer' as const), answer: text }),
);
/** Representative events of every type: stepping with an enabled one drives runs deep into the loops. */
const POOL: PipelineEvent[] = [
  { type: 'start' },
  { type: 'setup_ready', cached: false },
  { type: 'setup_failed', exitCode: 1, logTail: 'npm ERR!' },
  { type: 'plan_ready', plan: 'p' },
  { type: 'code_ready', summary: 's' },
  ...REVIEW_VERDICTS.map((verdict): PipelineEvent => ({ type: 'review', verdict, comments: ['c'] })),
  { type: 'test_report', passed: true, failures: [] },
  { type: 'test_report', passed: false, failures: ['f'] },
  { type: 'branch_pushed', branchName: 'b', pullRequestUrl: null },
  { type: 'stage_failed', attempt: 1, reason: 'r' },
  { type: 'stage_failed', attempt: 3, reason: 'r' },
  { type: 'budget_exceeded', spentUsd: 6, budgetUsd: 5 },
  { type: 'cancel' },
  { type: 'source_removed' },
  { type: 'retry' },
  { type: 'answer', answer: 'a' },
];
/** Each step is either a fully random event or "some enabled event of the pool", chosen by index. */
const steps = fc.array(
  fc.oneof(
    { arbitrary: event.map((ev) => ({ ev })), weight: 1 },
    { arbitrary: fc.nat().map((pick) => ({ pick })), weight: 4 },
  ),
  { minLength: 10, maxLength: 120, size: 'max' },
);

function resolve(step: { ev: PipelineEvent } | { pick: number }, state: PipelineState, lim: PipelineLimits) {
  if ('ev' in step) return step.ev;
  const enabled = POOL.filter((candidate) => transition(state, candidate, lim).ok);
  return enabled[step.pick % enabled.length] ?? POOL[0]!;
}

const limits = fc.record({
  maxReviewRounds: fc.integer({ min: 0, max: 4 }),
  maxTestRounds: fc.integer({ min: 0, max: 4 }),
  maxStageAttempts: fc.integer({ min: 1, max: 4 }),
});

describe('pipeline properties', () => {
  it('never throws, stays in defined states and keeps loops bounded', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(steps, limits, (sequence, lim) => {
        let state = INITIAL_PIPELINE_STATE;
        let reviewBackEdges = 0;
        let testBackEdges = 0;
        for (const step of sequence) {
          const result = transition(state, resolve(step, state, lim), lim);
          // node:assert in the hot loop: vitest's expect is ~100x slower and this runs ~15k steps.
          if (!result.ok) {
            assert.ok(['invalid_transition', 'invalid_event'].includes(result.error.code), result.error.code);
            assert.ok(result.error.message.length > 0);
            continue;
          }
          const next = result.value.state;
          assert.notEqual(state.status, 'done', 'a transition left done');
          assert.ok(FEATURE_STATUSES.includes(next.status), next.status);
          const stage = next.counters.stage ?? null;
          assert.ok(stage === null || PIPELINE_STAGES.includes(stage), String(stage));
          assert.ok(next.counters.reviewRounds <= lim.maxReviewRounds, 'reviewRounds over limit');
          assert.ok(next.counters.testRounds <= lim.maxTestRounds, 'testRounds over limit');
          if (state.status === 'reviewing' && next.status === 'coding') reviewBackEdges++;
          if (state.status === 'testing' && next.status === 'coding') testBackEdges++;
          if (next.status === 'needs_input') {
            reviewBackEdges = 0;
            testBackEdges = 0;
          }
          assert.ok(
            reviewBackEdges <= lim.maxReviewRounds,
            `${reviewBackEdges} review rounds without a human`,
          );
          assert.ok(testBackEdges <= lim.maxTestRounds, `${testBackEdges} test rounds without a human`);
          for (const effect of result.value.effects) {
            // Every effect that starts work names a positive attempt within the limit.
            if (effect.type === 'start_agent' || effect.type === 'push_branch') {
              assert.ok(
                effect.attempt >= 1 && effect.attempt <= Math.max(1, lim.maxStageAttempts),
                'attempt',
              );
            }
            reached.add(effect.type === 'request_input' ? effect.reason : effect.type);
          }
          reached.add(next.status);
          state = next;
        }
      }),
      { numRuns: 200 },
    );
    // The generator must actually exercise the loops and limits, or the bounds above prove nothing.
    for (const what of ['review_limit', 'test_limit', 'rejected', 'budget', 'failed', 'done', 'cancelled']) {
      expect(reached).toContain(what);
    }
  });

  it('rejects every event once done', () => {
    const done = { status: 'done' as const, counters: { reviewRounds: 0, testRounds: 0, stage: null } };
    fc.assert(
      fc.property(event, (ev) => {
        const result = transition(done, ev, DEFAULT_PIPELINE_LIMITS);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('reaches done only through a push after passing tests', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        let state = INITIAL_PIPELINE_STATE;
        for (const step of sequence) {
          const ev = resolve(step, state, DEFAULT_PIPELINE_LIMITS);
          const result = transition(state, ev);
          if (!result.ok) continue;
          if (result.value.state.status === 'done') {
            expect(ev.type).toBe('branch_pushed');
            expect(state.counters.stage).toBe('pushing');
          }
          state = result.value.state;
        }
      }),
      { numRuns: 300 },
    );
  });
});
