import { expect } from 'vitest';
import type { FeatureStatus, PipelineStage } from '../src/entities';
import { transition } from '../src/pipeline';
import type {
  Effect,
  PipelineEvent,
  PipelineLimits,
  PipelineState,
  Transition,
} from '../src/pipeline-events';

export function stateOf(
  status: FeatureStatus,
  stage: PipelineStage | null = null,
  rounds = { r: 0, t: 0 },
): PipelineState {
  return { status, counters: { reviewRounds: rounds.r, testRounds: rounds.t, stage } };
}

/** A needs_input state with what its question is about. */
export function asking(
  state: PipelineState,
  reason: NonNullable<PipelineState['counters']['awaiting']>,
): PipelineState {
  return { ...state, counters: { ...state.counters, awaiting: reason } };
}

/** Applies the event and fails the test when it is rejected. */
export function step(state: PipelineState, event: PipelineEvent, limits?: PipelineLimits): Transition {
  const result = transition(state, event, limits);
  if (!result.ok) throw new Error(`unexpected error: ${result.error.message}`);
  return result.value;
}

export function run(
  events: PipelineEvent[],
  from: PipelineState = stateOf('pending'),
  limits?: PipelineLimits,
) {
  let state = from;
  const effects: Effect[][] = [];
  for (const event of events) {
    const next = step(state, event, limits);
    state = next.state;
    effects.push(next.effects);
  }
  return { state, effects, last: effects.at(-1) ?? [] };
}

export function expectInvalid(state: PipelineState, event: PipelineEvent) {
  const result = transition(state, event);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe('invalid_transition');
    expect(result.error.message).toContain(event.type);
    expect(result.error.message).toContain(state.status);
  }
}

export const happyPathToTesting: PipelineEvent[] = [
  { type: 'start' },
  { type: 'setup_ready', cached: false },
  { type: 'plan_ready', plan: { steps: ['a'] } },
  { type: 'code_ready', summary: 'done' },
  { type: 'review', verdict: 'APPROVE', comments: [] },
];
export const requestChanges: PipelineEvent = {
  type: 'review',
  verdict: 'REQUEST_CHANGES',
  comments: ['rename x'],
};
export const codeReady: PipelineEvent = { type: 'code_ready', summary: 'fixed' };
export const testsFail: PipelineEvent = {
  type: 'test_report',
  passed: false,
  failures: ['a.test.ts: expected 1'],
};
