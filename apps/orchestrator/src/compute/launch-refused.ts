import { OmakaseError } from '@omakase/domain';

/**
 * A run the compute refuses for good (no per-org runner, no model key for the org): retrying
 * cannot help, so the orchestrator fails the run with this message instead of retrying the launch.
 */
export class LaunchRefusedError extends OmakaseError<'launch_refused'> {
  override readonly name = 'LaunchRefusedError';
  constructor(message: string, opts?: { cause?: unknown }) {
    super('launch_refused', message, opts);
  }
}

export const isLaunchRefused = (error: unknown): error is LaunchRefusedError =>
  error instanceof LaunchRefusedError;
