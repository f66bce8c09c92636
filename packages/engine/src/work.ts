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
