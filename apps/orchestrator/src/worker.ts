/**
 * The orchestrator's work loop. Event-driven: a NOTIFY on new work wakes it; the only timer is
 * the lease sweeper, which renews the leases of runs we host and picks up work whose lease
 * expired elsewhere (a crashed orchestrator) or whose retry time has come.
 */
import { backoffMs, type OrgId, type Storage, type WorkItem } from '@omakase/domain';
import { MalformedWorkItem } from '@omakase/engine';
import type { Logger } from 'pino';

/**
 * `keep`: the item stays leased past its handler (a hosted run's launch); `continueWith`: the handler's
 * unit handed it the next item (already leased to us), which runs next in the same slot.
 */
export type WorkOutcome = 'done' | 'keep' | { continueWith: WorkItem };
export type WorkHandler = (item: WorkItem) => Promise<WorkOutcome>;

export interface WorkerOptions {
  storage: Storage;
  workerId: string;
  leaseMs: number;
  /** Items processed at once. */
  concurrency: number;
  handle: WorkHandler;
  /** Attempts an item of this kind gets before it is buried as a dead letter. */
  maxAttempts: (kind: string) => number;
  /** Only these kinds are claimed (default: any); others wait for a worker that handles them. */
  kinds?: string[];
  logger: Logger;
}

const MAX_BACKOFF_MS = 60_000;

export class Worker {
  private running = false;
  private again = false;
  private stopped = false;
  private inFlight = 0;
  /** Handlers running now; `stop` lets them finish (bounded) before storage is closed. */
  private readonly processing = new Set<Promise<void>>();
  /** Items we keep leased past their handler (runs whose compute we host). */
  private readonly held = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;
  /**
   * Whether a claim may find something: false once a claim came back short with no wake-up
   * since it started, so a finishing item does not send an empty claim. Bumped by every
   * wake-up (NOTIFY, the sweeper, a handler asking), read by the claim that follows.
   */
  private wakeups = 0;
  private drained = false;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly opts: WorkerOptions) {}

  async start(): Promise<void> {
    this.unsubscribe = (await this.opts.storage.work.onAvailable?.(() => this.wake())) ?? null;
    this.sweeper = setInterval(() => void this.sweep(), Math.max(250, this.opts.leaseMs / 3));
    this.wake();
  }

  /**
   * Claims nothing more and waits up to `graceMs` for the items in hand; one that takes longer
   * keeps its lease until it expires and is then taken up again (by us after a restart, or by
   * another orchestrator).
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.unsubscribe?.();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.processing]), grace]);
    clearTimeout(timer);
  }

  /** Keeps an item leased until `release`/`finish` (used while a run's compute lives). */
  hold(id: string) {
    this.held.add(id);
  }

  unhold(id: string) {
    this.held.delete(id);
  }

  wake(): void {
    if (this.stopped) return;
    this.wakeups++;
    this.drained = false;
    this.poke();
  }

  /** Runs the claim loop (again, if it is running now) unless everything due is claimed. */
  private poke(): void {
    if (this.stopped || this.drained) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async drain(): Promise<void> {
    const { storage, workerId, leaseMs, concurrency, logger } = this.opts;
    while (!this.stopped) {
      const free = concurrency - this.inFlight;
      if (free <= 0) return;
      let items: WorkItem[];
      const wakeupsBefore = this.wakeups;
      try {
        items = await storage.work.claim({ workerId, limit: free, leaseMs, kinds: this.opts.kinds });
      } catch (error) {
        logger.error({ err: error }, 'claim failed');
        return;
      }
      // Short: nothing else was due. Until the next wake-up, a freed slot need not ask again.
      if (items.length < free && this.wakeups === wakeupsBefore) this.drained = true;
      if (items.length === 0) return;
      // Not awaited: a slow item (a workspace clone, a call to Linear) must not hold back the
      // next claim; each one frees its slot and wakes the loop when it ends.
      for (const item of items) {
        const processing = this.process(item).finally(() => {
          this.processing.delete(processing);
          this.poke();
        });
        this.processing.add(processing);
      }
    }
  }

  private async process(item: WorkItem): Promise<void> {
    this.inFlight++;
    try {
      // On stop a handed item is left leased: it is taken up again once its lease expires.
      let next: WorkItem | null = item;
      while (next && !this.stopped) next = await this.processOne(next);
    } finally {
      this.inFlight--;
    }
  }

  /** Runs one item's handler; returns the item it handed over, if any. */
  private async processOne(item: WorkItem): Promise<WorkItem | null> {
    const { storage, workerId, logger } = this.opts;
    const log = logger.child({ work: item.kind, subject: item.subjectId, attempt: item.attempts });
    try {
      const outcome = await this.opts.handle(item);
      if (outcome === 'keep') this.hold(item.id);
      return typeof outcome === 'object' ? outcome.continueWith : null;
    } catch (error) {
      // A malformed item fails the same way every time: it is a dead letter at once.
      if (error instanceof MalformedWorkItem || item.attempts >= this.opts.maxAttempts(item.kind)) {
        log.error({ err: error }, 'work item failed its last attempt; kept as a dead letter');
        await storage.work
          .bury({ workerId, id: item.id, error: String(error).slice(0, 4000) })
          .catch((e) => log.error({ err: e }, 'burying failed'));
        return null;
      }
      const delay = backoffMs(item.attempts, { baseMs: 500, maxMs: MAX_BACKOFF_MS });
      log.warn({ err: error, retryInMs: delay }, 'work item failed; will retry');
      await storage.work
        .release({ workerId, id: item.id, runAfter: new Date(Date.now() + delay), error: String(error) })
        .catch((e) => log.error({ err: e }, 'release failed'));
      return null;
    }
  }

  private async sweep(): Promise<void> {
    const { storage, workerId, leaseMs, logger } = this.opts;
    if (this.held.size > 0) {
      await storage.work
        .heartbeat({ workerId, ids: [...this.held], leaseMs })
        .catch((error) => logger.error({ err: error }, 'heartbeat failed'));
    }
    this.wake();
  }
}

export type { OrgId };
