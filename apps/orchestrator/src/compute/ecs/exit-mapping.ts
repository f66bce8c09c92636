/**
 * How a stopped ECS task maps to a `ComputeExit` reason. Pure, so every stop code ECS documents
 * is unit-tested without a cluster.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html
 */
import type { ComputeExitReason } from '../types';

export interface StoppedTaskView {
  stopCode?: string;
  stoppedReason?: string;
  containers?: { name?: string; exitCode?: number; reason?: string }[];
}

export interface MappedExit {
  reason: ComputeExitReason;
  exitCode: number | null;
}

const SPOT_REASON = /spot task was interrupted/i;

export function mapStoppedTask(
  task: StoppedTaskView,
  containerName: string,
  stopRequested: boolean,
): MappedExit {
  const container = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  const exitCode = typeof container?.exitCode === 'number' ? container.exitCode : null;
  // Capacity taken back by AWS (Spot reclaim, Fargate task retirement): not the agent's doing.
  if (task.stopCode === 'SpotInterruption' || SPOT_REASON.test(task.stoppedReason ?? '')) {
    return { reason: 'interrupted', exitCode };
  }
  if (task.stopCode === 'TerminationNotice') return { reason: 'interrupted', exitCode };
  if (stopRequested) return { reason: 'stopped', exitCode };
  // Image pull, ENI or secret resolution failed: the runner never ran.
  if (task.stopCode === 'TaskFailedToStart') return { reason: 'lost', exitCode };
  if (exitCode === 0) return { reason: 'completed', exitCode };
  return { reason: 'failed', exitCode };
}
