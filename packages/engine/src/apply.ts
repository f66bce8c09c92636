/**
 * Applies one pipeline event to a feature inside the caller's transaction: asks the domain
 * state machine for the transition, persists the new state and carries out the effects that
 * are database writes (runs created, work enqueued, questions recorded). Compute and git side
 * effects happen later, in the work items enqueued here, so the whole step commits or not at all.
 */
import {
  type AgentRun,
  type Effect,
  type Feature,
  type FeaturePatch,
  isLiveRun,
  type PipelineEvent,
  type PipelineLimits,
  type TenantStore,
  transition,
} from '@omakase/domain';
import { type EngineResult, fail } from './errors';
import { buildRunInput } from './run-input';
import { WORK } from './work';

export interface ApplyOptions {
  now?: Date;
  limits?: PipelineLimits;
  /** The feature's runs as the caller just read them in this transaction (saves reading them again). */
  runs?: AgentRun[];
}

export async function applyEvent(
  tx: TenantStore,
  feature: Feature,
  event: PipelineEvent,
  opts: ApplyOptions = {},
): Promise<EngineResult<Feature>> {
  const result = transition({ status: feature.status, counters: feature.counters }, event, opts.limits);
  if (!result.ok) return result;
  const { state, effects } = result.value;
  const patch: FeaturePatch = { status: state.status, counters: { ...state.counters, lastFailure: null } };
  if (event.type === 'answer' && feature.needsInput) {
    patch.needsInput = { ...feature.needsInput, answer: event.answer };
  }
  const now = opts.now ?? new Date();
  for (const effect of effects) shapePatch(effect, patch, now);
  // The feature row first, then the rows the effects write: every transaction of the engine
  // takes its locks in that order (a run's insert fires triggers that enqueue work), and a
  // conflict is found before anything else was written.
  const updated = await tx.features.update(feature.id, patch, { expectedStatus: feature.status });
  if (!updated) return fail('conflict', `${feature.key} changed concurrently; try again`);
  for (const effect of effects) await perform(tx, feature, effect, opts, now);
  return { ok: true, value: updated };
}

/** The effects that are fields of the feature itself. */
function shapePatch(effect: Effect, patch: FeaturePatch, now: Date) {
  switch (effect.type) {
    case 'request_input':
      patch.needsInput = { question: effect.question, answer: null, askedAt: now, reason: effect.reason };
      return;
    case 'mark_done':
      patch.branchName = effect.branchName;
      patch.pullRequestUrl = effect.pullRequestUrl;
      patch.needsInput = null;
      return;
    case 'mark_failed':
      patch.counters = { ...patch.counters!, lastFailure: `${effect.stage}: ${effect.reason}` };
      return;
  }
}

async function perform(tx: TenantStore, feature: Feature, effect: Effect, opts: ApplyOptions, now: Date) {
  switch (effect.type) {
    case 'start_agent': {
      const earlier = opts.runs ?? (await tx.runs.listByFeature(feature.id));
      const input = buildRunInput(effect.input, earlier);
      const run = await tx.runs.create({
        featureId: feature.id,
        projectId: feature.projectId,
        role: effect.role,
        attempt: effect.attempt,
        input: input as unknown as Record<string, unknown>,
      });
      await tx.work.enqueue({ kind: WORK.launch, subjectId: run.id });
      return;
    }
    case 'stop_agent':
      for (const run of opts.runs ?? (await tx.runs.listByFeature(feature.id))) {
        if (!isLiveRun(run)) continue;
        // The orchestrator that owns the compute sees this change and stops it.
        await tx.runs.update(run.id, { status: 'cancelled', finishedAt: now, exitReason: 'stopped' });
      }
      return;
    case 'push_branch':
      await tx.work.enqueue({ kind: WORK.push, subjectId: feature.id, payload: { attempt: effect.attempt } });
      return;
    case 'unblock_dependants':
      await tx.work.enqueue({ kind: WORK.schedule, subjectId: feature.projectId });
      return;
  }
}
