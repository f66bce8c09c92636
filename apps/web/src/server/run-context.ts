/** The feature's history a run's prompt shows: the coder's summary, the rounds, why a retry runs. */

import type { RunContext } from '@omakase/api-contract';
import { type AgentRun, DEFAULT_PIPELINE_LIMITS, type Feature } from '@omakase/domain';

/**
 * `runs` are the feature's runs, oldest first. Rounds count from 1: `reviewRounds` back edges
 * taken means this is review (or coding) round reviewRounds + 1 of maxReviewRounds + 1.
 */
export function runContext(run: AgentRun, feature: Feature, runs: AgentRun[]): RunContext {
  const limits = DEFAULT_PIPELINE_LIMITS;
  const context: RunContext = {
    reviewRound: { number: feature.counters.reviewRounds + 1, max: limits.maxReviewRounds + 1 },
    testRound: { number: feature.counters.testRounds + 1, max: limits.maxTestRounds + 1 },
  };
  const earlier = runs.filter((other) => other.id !== run.id && other.createdAt <= run.createdAt);
  if (run.role === 'reviewer' || run.role === 'tester') {
    const coder = earlier.filter((other) => other.role === 'coder' && other.status === 'succeeded').at(-1);
    const summary = coder?.output?.summary;
    if (typeof summary === 'string' && summary.trim()) context.coderSummary = summary;
  }
  if (run.attempt > 1) {
    const previous = earlier
      .filter((other) => other.role === run.role && other.attempt === run.attempt - 1)
      .at(-1);
    context.retry = { previousExitReason: previous?.exitReason ?? 'unknown (no result recorded)' };
  }
  return context;
}
