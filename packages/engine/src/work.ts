/** The kinds of orchestrator work items and what their subject is. */
export const WORK = {
  /** subject: projectId — start ready features of the project within capacity. */
  schedule: 'project.schedule',
  /** subject: runId — start compute for a queued run; its lease is held while the run lives. */
  launch: 'run.launch',
  /** subject: runId — apply a finished run's outcome to its feature's pipeline. */
  completed: 'run.completed',
  /** subject: featureId — push the tested branch (and open a pull request). */
  push: 'feature.push',
  /** subject: projectId — read the project's commands from its repository (created, URL or branch changed). */
  detect: 'project.detect',
} as const;

export type WorkKind = (typeof WORK)[keyof typeof WORK];

/**
 * How many times an item of each kind is tried (with the worker's backoff in between, 0.5 s
 * doubling to a minute) before it ends as a dead letter that an admin can see and retry.
 */
export const WORK_MAX_ATTEMPTS: Readonly<Record<WorkKind, number>> = {
  [WORK.schedule]: 10,
  [WORK.launch]: 8,
  [WORK.completed]: 10,
  [WORK.push]: 10,
  [WORK.detect]: 5,
};
/** For kinds outside this catalog (the orchestrator's integrations declare their own). */
export const DEFAULT_MAX_ATTEMPTS = 10;

export const maxAttemptsOf = (kind: string): number =>
  (WORK_MAX_ATTEMPTS as Record<string, number>)[kind] ?? DEFAULT_MAX_ATTEMPTS;
