/**
 * Applies one pipeline event to a feature: the domain state machine decides the transition,
 * `planTransition` turns it (purely) into the writes it stands for — the feature's new state,
 * the run it starts, the runs it cancels, the work it enqueues — and the storage commits them as
 * one unit (`PipelineUnits.commitTransition`), guarded by the status the decision was made on.
 * Compute and git side effects happen later, in the work items enqueued here.
 */
import {
  type AgentRun,
  type ClaimedWork,
  type Effect,
  type Feature,
  newId,
  type PipelineEvent,
  type PipelineLimits,
  type TenantStore,
  type TransitionWrites,
  transition,
  type WorkToEnqueue,
} from '@omakase/domain';
import { type EngineResult, fail } from './errors';
import { buildRunInput } from './run-input';
import { WORK } from './work';

export interface ApplyOptions {
  now?: Date;
  limits?: PipelineLimits;
  /** The feature's runs as the caller just read them (saves reading them again). */
  runs?: AgentRun[];
  /** The claimed work item that decided this event: completed with the transition's writes. */
  completeWork?: ClaimedWork;
  /** More work the caller's command enqueues with the transition. */
  enqueue?: WorkToEnqueue[];
}

export interface PlannedTransition {
  transition: TransitionWrites;
  /** The feature as it is once the transition is committed. */
  feature: Feature;
}

/** The writes an event stands for, decided without I/O (`runs`: the feature's runs, oldest first). */
export function planTransition(
  feature: Feature,
  event: PipelineEvent,
  runs: AgentRun[],
  opts: { now?: Date; limits?: PipelineLimits } = {},
): EngineResult<PlannedTransition> {
  const result = transition({ status: feature.status, counters: feature.counters }, event, opts.limits);
  if (!result.ok) return result;
  const { state, effects } = result.value;
  const now = opts.now ?? new Date();
  const planned: TransitionWrites = {
    featureId: feature.id,
    expectedStatus: feature.status,
    patch: { status: state.status, counters: { ...state.counters, lastFailure: null } },
    enqueue: [],
  };
  if (event.type === 'answer' && feature.needsInput) {
    planned.patch.needsInput = { ...feature.needsInput, answer: event.answer };
  }
  for (const effect of effects) plan(effect, planned, runs, now, feature);
  return {
    ok: true,
    value: { transition: planned, feature: { ...feature, ...planned.patch, updatedAt: now } },
  };
}

function plan(effect: Effect, t: TransitionWrites, runs: AgentRun[], now: Date, feature: Feature) {
  switch (effect.type) {
    case 'request_input':
      t.patch.needsInput = { question: effect.question, answer: null, askedAt: now, reason: effect.reason };
      return;
    case 'mark_done':
      t.patch.branchName = effect.branchName;
      t.patch.pullRequestUrl = effect.pullRequestUrl;
      t.patch.needsInput = null;
      return;
    case 'mark_failed':
      t.patch.counters = { ...t.patch.counters, lastFailure: `${effect.stage}: ${effect.reason}` };
      return;
    case 'start_agent': {
      const id = newId('run');
      const input = buildRunInput(effect.input, runs) as unknown as Record<string, unknown>;
      t.createRun = { id, role: effect.role, attempt: effect.attempt, input };
      t.enqueue.push({ kind: WORK.launch, subjectId: id });
      return;
    }
    case 'stop_agent':
      // The orchestrator that owns the compute sees the change and stops it.
      t.cancelLiveRuns = { finishedAt: now, exitReason: 'stopped' };
      return;
    case 'push_branch':
      t.enqueue.push({ kind: WORK.push, subjectId: feature.id, payload: { attempt: effect.attempt } });
      return;
    case 'unblock_dependants':
      t.enqueue.push({ kind: WORK.schedule, subjectId: feature.projectId });
      return;
  }
}

const needsRuns = (feature: Feature, event: PipelineEvent, limits?: PipelineLimits) => {
  const result = transition({ status: feature.status, counters: feature.counters }, event, limits);
  return result.ok && result.value.effects.some((effect) => effect.type === 'start_agent');
};

/** Plans and commits one event; `conflict` when the feature moved since it was read. */
export async function applyEvent(
  store: TenantStore,
  feature: Feature,
  event: PipelineEvent,
  opts: ApplyOptions = {},
): Promise<EngineResult<Feature>> {
  const runs =
    opts.runs ?? (needsRuns(feature, event, opts.limits) ? await store.runs.listByFeature(feature.id) : []);
  const planned = planTransition(feature, event, runs, opts);
  if (!planned.ok) return planned;
  const { transition: writes } = planned.value;
  const committed = await store.pipeline.commitTransition(
    opts.enqueue ? { ...writes, enqueue: [...writes.enqueue, ...opts.enqueue] } : writes,
    { completeWork: opts.completeWork },
  );
  if (!committed.committed) return fail('conflict', `${feature.key} changed concurrently; try again`);
  return { ok: true, value: planned.value.feature };
}
