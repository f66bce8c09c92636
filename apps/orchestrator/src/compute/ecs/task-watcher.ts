/**
 * Watches every task we started with one bounded loop: one DescribeTasks call per 100 tracked
 * tasks per interval, never two polls at once. (EventBridge "ECS Task State Change" events
 * could replace polling; a poll keeps the orchestrator free of an extra queue and is bounded.)
 */
import { DescribeTasksCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { RunId } from '@omakase/domain';
import type { Logger } from 'pino';
import type { ComputeExit, RunHandle } from '../types';
import { mapStoppedTask } from './exit-mapping';

interface Tracked {
  runId: RunId;
  stopping: boolean;
  lastStatus: string;
  /** DescribeTasks is eventually consistent right after RunTask: tolerate a few misses. */
  misses: number;
}

export interface TaskWatcherOptions {
  client: ECSClient;
  cluster: string;
  containerName: string;
  pollIntervalMs: number;
  logger: Logger;
  onExit: (exit: ComputeExit) => void;
}

const MAX_MISSES = 3;
const DESCRIBE_BATCH = 100;

export class TaskWatcher {
  private readonly tasks = new Map<RunHandle, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;

  constructor(private readonly o: TaskWatcherOptions) {}

  track(arn: RunHandle, runId: RunId) {
    this.tasks.set(arn, { runId, stopping: false, lastStatus: 'PROVISIONING', misses: 0 });
    this.arm();
  }

  /** A warm task took a run (possibly one another orchestrator started): report its exit for `runId`. */
  adopt(arn: RunHandle, runId: RunId) {
    const t = this.tasks.get(arn);
    if (t) t.runId = runId;
    else this.track(arn, runId);
  }

  markStopping(arn: RunHandle) {
    const t = this.tasks.get(arn);
    if (t) t.stopping = true;
  }

  get size() {
    return this.tasks.size;
  }

  /** Stops watching; returns the tasks still alive. */
  close(): RunHandle[] {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    return [...this.tasks.keys()];
  }

  private arm() {
    if (this.closed || this.timer || this.polling || this.tasks.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, this.o.pollIntervalMs);
  }

  private async poll() {
    this.polling = true;
    try {
      const arns = [...this.tasks.keys()];
      for (let i = 0; i < arns.length && !this.closed; i += DESCRIBE_BATCH) {
        await this.describe(arns.slice(i, i + DESCRIBE_BATCH));
      }
    } catch (error) {
      this.o.logger.warn({ err: error }, 'DescribeTasks failed; will poll again');
    } finally {
      this.polling = false;
      this.arm();
    }
  }

  private async describe(arns: string[]) {
    const out = await this.o.client.send(new DescribeTasksCommand({ cluster: this.o.cluster, tasks: arns }));
    const seen = new Set<string>();
    for (const task of out.tasks ?? []) {
      const arn = task.taskArn!;
      const t = this.tasks.get(arn);
      if (!t) continue;
      seen.add(arn);
      t.misses = 0;
      t.lastStatus = task.lastStatus ?? t.lastStatus;
      if (task.lastStatus !== 'STOPPED') continue;
      const mapped = mapStoppedTask(task, this.o.containerName, t.stopping);
      this.o.logger.info(
        {
          runId: t.runId,
          taskArn: arn,
          stopCode: task.stopCode,
          stoppedReason: task.stoppedReason,
          ...mapped,
        },
        'fargate task stopped',
      );
      this.emit(arn, t, mapped.exitCode, mapped.reason);
    }
    for (const arn of arns) {
      const t = this.tasks.get(arn);
      if (!t || seen.has(arn)) continue;
      if (++t.misses >= MAX_MISSES) this.emit(arn, t, null, t.stopping ? 'stopped' : 'lost');
    }
  }

  private emit(arn: RunHandle, t: Tracked, exitCode: number | null, reason: ComputeExit['reason']) {
    this.tasks.delete(arn);
    this.o.onExit({ handle: arn, runId: t.runId, exitCode, reason });
  }
}
