/** Wires storage, compute and the work loop into one orchestrator instance. */
import type { RunId, Storage } from '@omakase/domain';
import { isWorkKind, maxAttemptsOf } from '@omakase/engine';
import type { Logger } from 'pino';
import type { ComputeDriver } from './compute/types';
import { type HandlerDeps, Handlers } from './handlers';
import { Worker } from './worker';

export interface OrchestratorOptions extends Omit<HandlerDeps, 'logger'> {
  concurrency?: number;
  /** Attempts per work kind before a dead letter: by default the engine's catalog, Linear's own. */
  maxAttempts?: (kind: string) => number;
  logger: Logger;
}

export interface RunningOrchestrator {
  handlers: Handlers;
  worker: Worker;
  driver: ComputeDriver;
  stop(): Promise<void>;
}

export async function startOrchestrator(opts: OrchestratorOptions): Promise<RunningOrchestrator> {
  const storage: Storage = opts.storage;
  const handlers = new Handlers(opts);
  const worker = new Worker({
    storage,
    workerId: opts.workerId,
    leaseMs: opts.leaseMs,
    concurrency: opts.concurrency ?? 16,
    handle: handlers.handle,
    maxAttempts: opts.maxAttempts ?? ((kind) => (isWorkKind(kind) ? maxAttemptsOf(kind) : 1)),
    kinds: handlers.kinds,
    logger: opts.logger,
  });
  handlers.worker = worker;
  const unsubscribe = await storage.changes.subscribe((change) => {
    if (change.entity !== 'run' || change.op !== 'update') return;
    const runId = change.id as RunId;
    if (!handlers.hosted.has(runId)) return;
    // Run changes always carry the new status (the store publishes it): only a cancellation matters.
    if (change.status !== 'cancelled') return;
    handlers
      .onRunCancelled(runId)
      .catch((error) => opts.logger.error({ err: error, runId }, 'stopping a cancelled run failed'));
  });
  await opts.linear?.start();
  await opts.warmPool?.start();
  await worker.start();
  // In the background: a start-up must not wait for a walk over every workspace.
  const pruning = handlers
    .pruneWorkspaces()
    .catch((error) => opts.logger.warn({ err: error }, 'pruning workspaces failed'));
  opts.logger.info({ workerId: opts.workerId, driver: opts.driver.name }, 'orchestrator started');
  return {
    handlers,
    worker,
    driver: opts.driver,
    async stop() {
      await worker.stop();
      await pruning;
      await opts.linear?.stop();
      await unsubscribe();
      handlers.closing = true;
      await opts.warmPool?.close();
      await opts.driver.close();
    },
  };
}
