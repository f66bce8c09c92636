/**
 * A driver that starts nothing: each "run" is handed to `onStart`, which decides when and how
 * it ends. Used by benchmarks to measure orchestration overhead without any agent.
 */
import type { ComputeDriver, ComputeExit, ComputeSpec, ComputeStatus, RunHandle } from './types';

export class NullDriver implements ComputeDriver {
  readonly name = 'null';
  private readonly listeners: ((exit: ComputeExit) => void)[] = [];
  private readonly live = new Map<RunHandle, ComputeSpec>();

  constructor(private readonly onStart: (spec: ComputeSpec, handle: RunHandle) => void) {}

  async start(spec: ComputeSpec): Promise<RunHandle> {
    const handle = `null:${spec.runId}`;
    this.live.set(handle, spec);
    queueMicrotask(() => this.onStart(spec, handle));
    return handle;
  }

  /** Ends a run as if its process exited. */
  finish(handle: RunHandle, exitCode = 0): void {
    const spec = this.live.get(handle);
    if (!spec) return;
    this.live.delete(handle);
    const exit: ComputeExit = {
      handle,
      runId: spec.runId,
      exitCode,
      reason: exitCode === 0 ? 'completed' : 'failed',
    };
    for (const listener of this.listeners) listener(exit);
  }

  async stop(handle: RunHandle): Promise<void> {
    this.finish(handle, 143);
  }

  async status(handle: RunHandle): Promise<ComputeStatus> {
    return this.live.has(handle) ? { state: 'running' } : { state: 'unknown' };
  }

  onExit(listener: (exit: ComputeExit) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.live.clear();
  }
}
