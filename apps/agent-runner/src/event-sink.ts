import type { RunnerEvent } from '@omakase/api-contract';
import { PlatformError, withRetry } from './platform-client';

type EventType = RunnerEvent['type'];

export interface EventSinkOptions {
  send: (events: RunnerEvent[]) => Promise<unknown>;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Payloads above this many bytes (JSON) are replaced by a short preview (the API's RUN_EVENT_MAX_BYTES). */
  maxEventBytes?: number;
  onDropped?: (count: number, error: unknown) => void;
  /** Once, when the platform closed the run's log (its per-run cap); defaults to `onDropped`. */
  onLogFull?: (error: PlatformError) => void;
  /** How retries wait (tests pass one that records the wait). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
const PREVIEW_CHARS = 1024;

/**
 * Ordered, batched delivery of run events: a batch leaves every `flushIntervalMs` or at
 * `maxBatch` events, one request at a time (so order holds), retried with backoff — a 429 waits
 * what its Retry-After says (bounded). Nothing is dropped before `close()`, which drains the
 * queue until its deadline. Once the platform answers `run_log_full` (the run's event cap), the
 * sink says so once and sends nothing more.
 */
export class EventSink {
  private readonly queue: RunnerEvent[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private deadline = Number.POSITIVE_INFINITY;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxEventBytes: number;
  private full = false;
  /** Events emitted after the platform closed the run's log (never sent). */
  discarded = 0;

  constructor(private readonly options: EventSinkOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 20;
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  }

  emit(type: EventType, payload: Record<string, unknown>): void {
    if (this.full) {
      this.discarded += 1;
      return;
    }
    this.seq += 1;
    this.queue.push({
      seq: this.seq,
      type,
      payload: this.fitted(payload),
      occurredAt: new Date().toISOString(),
    });
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMs);
  }

  get emitted(): number {
    return this.seq;
  }

  /** True once the platform refused more events for this run (its log is full). */
  get logFull(): boolean {
    return this.full;
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
    while (this.queue.length > 0 && !this.full) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await withRetry(
          () => this.options.send(batch),
          () => this.deadline,
          100,
          this.options.sleep,
        );
        this.queue.splice(0, batch.length);
      } catch (error) {
        if (isLogFull(error)) {
          this.closeLog(error);
          return;
        }
        if (this.replaceRefusedPayload(batch, error)) continue;
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

  private closeLog(error: PlatformError): void {
    this.full = true;
    this.discarded += this.queue.length;
    const unsent = this.queue.length;
    this.queue.length = 0;
    if (this.options.onLogFull) this.options.onLogFull(error);
    else this.options.onDropped?.(unsent, error);
  }

  /**
   * A 413 naming one event (`events.3.payload`: the platform's per-event cap is lower than ours):
   * that payload becomes a preview and the batch goes again, so its neighbours are not lost.
   */
  private replaceRefusedPayload(batch: RunnerEvent[], error: unknown): boolean {
    if (!(error instanceof PlatformError) || error.status !== 413) return false;
    const index = Number(/^events\.(\d+)\b/.exec(error.refusal.field ?? '')?.[1] ?? Number.NaN);
    const event = batch[index];
    if (!event || event.payload.omitted === true) return false;
    event.payload = preview(event.payload, 'refused by the platform as too large');
    return true;
  }

  private fitted(payload: Record<string, unknown>): Record<string, unknown> {
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    return bytes > this.maxEventBytes
      ? preview(payload, `payload of ${bytes} bytes exceeds ${this.maxEventBytes}`)
      : payload;
  }
}

const isLogFull = (error: unknown): error is PlatformError =>
  error instanceof PlatformError && error.refusal.apiCode === 'run_log_full';

function preview(payload: Record<string, unknown>, reason: string): Record<string, unknown> {
  return { omitted: true, reason, preview: JSON.stringify(payload).slice(0, PREVIEW_CHARS) };
}
