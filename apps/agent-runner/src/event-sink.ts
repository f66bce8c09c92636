import type { RunEvent } from '@omakase/api-contract';
import { withRetry } from './platform-client';

type EventType = RunEvent['type'];

export interface EventSinkOptions {
  send: (events: RunEvent[]) => Promise<void>;
  flushIntervalMs?: number;
  maxBatch?: number;
  onDropped?: (count: number, error: unknown) => void;
}

/**
 * Ordered, batched delivery of run events: a batch leaves every `flushIntervalMs` or at
 * `maxBatch` events, one request at a time (so order holds), retried with backoff. Nothing is
 * dropped before `close()`, which drains the queue until its deadline.
 */
export class EventSink {
  private readonly queue: RunEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private deadline = Number.POSITIVE_INFINITY;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: EventSinkOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 20;
  }

  emit(type: EventType, payload: Record<string, unknown>): void {
    this.seq += 1;
    this.queue.push({ seq: this.seq, type, payload, occurredAt: new Date().toISOString() });
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  get emitted(): number {
    return this.seq;
  }

  /** Starts sending what is queued (chained after the request in flight). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.inFlight.then(() => this.drain());
    return this.inFlight;
  }

  /** Sends everything still queued, giving up (and reporting the loss) after `timeoutMs`. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.deadline = Date.now() + timeoutMs;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await withRetry(
          () => this.options.send(batch),
          () => this.deadline,
        );
        this.queue.splice(0, batch.length);
      } catch (error) {
        if (Date.now() < this.deadline) {
          // Not retryable (e.g. 4xx): the platform will never take these, keep the rest moving.
          this.queue.splice(0, batch.length);
          this.options.onDropped?.(batch.length, error);
          continue;
        }
        this.options.onDropped?.(this.queue.length, error);
        this.queue.length = 0;
      }
    }
  }
}
