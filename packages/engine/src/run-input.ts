/**
 * What an agent run is given: the trigger from the pipeline plus the context earlier runs of
 * the same feature produced (the plan, every review, every test report, the human's answer).
 * Built from stored runs so that a retry or a resumed feature loses nothing.
 */
import type { AgentInput, AgentRun } from '@omakase/domain';

export interface RunContext {
  trigger: AgentInput;
  plan: Record<string, unknown> | null;
  reviews: Record<string, unknown>[];
  testReports: Record<string, unknown>[];
  answers: string[];
}

export function buildRunInput(trigger: AgentInput, earlierRuns: AgentRun[]): RunContext {
  const answers = [...earlierRuns.map((run) => (run.input as Partial<RunContext>).trigger), trigger]
    .filter((t): t is Extract<AgentInput, { kind: 'human_answer' }> => t?.kind === 'human_answer')
    .map((t) => t.answer);
  const succeeded = earlierRuns.filter((run) => run.status === 'succeeded' && run.output);
  const outputsOf = (role: AgentRun['role']) =>
    succeeded.filter((run) => run.role === role).map((run) => run.output as Record<string, unknown>);
  return {
    trigger,
    plan: outputsOf('architect').at(-1) ?? null,
    reviews: outputsOf('reviewer'),
    testReports: outputsOf('tester'),
    answers,
  };
}
