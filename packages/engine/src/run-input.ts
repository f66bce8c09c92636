/**
 * What an agent run is given: the trigger from the pipeline plus what earlier runs of the same
 * feature produced — the plan, the latest review and test report, the human's latest answer —
 * in the shape of the runner contract's `RunInput`. Built from stored runs, so a retry or a
 * resumed feature loses nothing.
 */
import type { AgentInput, AgentRun } from '@omakase/domain';

export interface RunContext {
  trigger: AgentInput;
  plan?: Record<string, unknown>;
  /** The latest review; present once a reviewer has spoken (the coder must address it). */
  review?: Record<string, unknown>;
  reviewRounds: number;
  testReport?: Record<string, unknown>;
  humanAnswer?: string;
}

export function buildRunInput(trigger: AgentInput, earlierRuns: AgentRun[]): RunContext {
  const succeeded = earlierRuns.filter((run) => run.status === 'succeeded' && run.output);
  const outputsOf = (role: AgentRun['role']) =>
    succeeded.filter((run) => run.role === role).map((run) => run.output as Record<string, unknown>);
  const answers = [...earlierRuns.map((run) => (run.input as Partial<RunContext>).trigger), trigger]
    .filter((t): t is Extract<AgentInput, { kind: 'human_answer' }> => t?.kind === 'human_answer')
    .map((t) => t.answer);
  const reviews = outputsOf('reviewer');
  const context: RunContext = { trigger, reviewRounds: reviews.length };
  const plan = outputsOf('architect').at(-1);
  const testReport = outputsOf('tester').at(-1);
  if (plan) context.plan = plan;
  if (reviews.length > 0) context.review = reviews.at(-1);
  if (testReport) context.testReport = testReport;
  if (answers.length > 0) context.humanAnswer = answers.at(-1);
  return context;
}
