/**
 * A run the compute refuses for good (no per-org runner, no model key for the org): retrying
 * cannot help, so the orchestrator fails the run with this message instead of retrying the launch.
 */
export class LaunchRefusedError extends Error {
  override readonly name = 'LaunchRefusedError';
  readonly code = 'launch_refused';
}

export const isLaunchRefused = (error: unknown): error is LaunchRefusedError =>
  error instanceof LaunchRefusedError;
