/**
 * Bounds on what one run may post as events — the run token can be in a hostile agent's hands.
 * Per request: events per batch and bytes per event (413). Per second: a token bucket per run in
 * this process, one token per event (429 with Retry-After). Per run: events and payload bytes,
 * counted on the run's row under its lock (so every web process sees the same totals); the batch
 * that crosses the cap stores what fits plus one "log truncated" marker, after which the log is
 * closed and every batch is refused with 413 `run_log_full`.
 */
import type { NewRunEvent, RunEventUsage } from '@omakase/domain';
import { ApiError } from './api-error';
import { env } from './env';
import { TokenBuckets } from './security/rate-limit';

export interface RunEventLimits {
  perSecond: number;
  burst: number;
  batchMax: number;
  eventMaxBytes: number;
  maxEventsPerRun: number;
  maxBytesPerRun: number;
}

export function runEventLimits(): RunEventLimits {
  const e = env();
  return {
    perSecond: e.RUN_EVENTS_PER_SECOND,
    burst: e.RUN_EVENTS_BURST,
    batchMax: e.RUN_EVENT_BATCH_MAX,
    eventMaxBytes: e.RUN_EVENT_MAX_BYTES,
    maxEventsPerRun: e.RUN_EVENTS_MAX_PER_RUN,
    maxBytesPerRun: e.RUN_EVENT_BYTES_MAX_PER_RUN,
  };
}

export class RunEventsRateLimited extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many run events; retry in ${retryAfterSeconds} s`, undefined, {
      limit: 'RUN_EVENTS_PER_SECOND',
      retryAfterSeconds,
    });
  }
}

/** Batch size and per-event size; `sizes[i]` is event i's payload in bytes. */
export function checkBatch(sizes: number[], limits: RunEventLimits): void {
  if (sizes.length > limits.batchMax) {
    throw new ApiError(
      'payload_too_large',
      `a batch holds at most ${limits.batchMax} events (RUN_EVENT_BATCH_MAX); this one has ${sizes.length}`,
      'events',
      { limit: 'RUN_EVENT_BATCH_MAX', max: limits.batchMax },
    );
  }
  const index = sizes.findIndex((size) => size > limits.eventMaxBytes);
  if (index >= 0) {
    throw new ApiError(
      'payload_too_large',
      `events.${index}.payload: ${sizes[index]} bytes exceeds ${limits.eventMaxBytes} (RUN_EVENT_MAX_BYTES)`,
      `events.${index}.payload`,
      { limit: 'RUN_EVENT_MAX_BYTES', max: limits.eventMaxBytes },
    );
  }
}

const holder = globalThis as typeof globalThis & { __omakaseRunEventBuckets?: TokenBuckets };

/** One token per event from the run's bucket in this process, or 429. */
export function takeRunEventRate(runId: string, count: number, limits: RunEventLimits): void {
  let buckets = holder.__omakaseRunEventBuckets;
  if (!buckets || buckets.capacity !== limits.burst || buckets.refillPerSecond !== limits.perSecond) {
    buckets = new TokenBuckets(limits.burst, limits.perSecond);
    holder.__omakaseRunEventBuckets = buckets;
  }
  const decision = buckets.take(runId, count);
  if (!decision.allowed) throw new RunEventsRateLimited(decision.retryAfterSeconds);
}

export type CapLimit = 'RUN_EVENTS_MAX_PER_RUN' | 'RUN_EVENT_BYTES_MAX_PER_RUN';

/**
 * How many of the new events (payload `sizes`, in order) fit in the run's log; the last slot is
 * kept for the marker, so the log never holds more than `maxEventsPerRun` events.
 */
export function fitWithinCap(
  usage: RunEventUsage,
  sizes: number[],
  limits: RunEventLimits,
): { take: number; crossed?: CapLimit } {
  let events = usage.events;
  let bytes = usage.bytes;
  for (const [index, size] of sizes.entries()) {
    if (events + 1 >= limits.maxEventsPerRun) return { take: index, crossed: 'RUN_EVENTS_MAX_PER_RUN' };
    if (bytes + size > limits.maxBytesPerRun) return { take: index, crossed: 'RUN_EVENT_BYTES_MAX_PER_RUN' };
    events += 1;
    bytes += size;
  }
  return { take: sizes.length };
}

export function truncationMarker(limit: CapLimit, limits: RunEventLimits): NewRunEvent {
  return {
    type: 'error',
    payload: { kind: 'log_truncated', message: `run log truncated: ${describeCap(limit, limits)}`, limit },
  };
}

export function logFull(limit: CapLimit | undefined, limits: RunEventLimits, accepted = 0): ApiError {
  return new ApiError(
    'run_log_full',
    `the run's log is full (${limit ? describeCap(limit, limits) : 'its cap was reached'}); it was truncated and takes no more events`,
    undefined,
    { ...(limit ? { limit, max: maxOf(limit, limits) } : {}), accepted },
  );
}

const maxOf = (limit: CapLimit, limits: RunEventLimits) =>
  limit === 'RUN_EVENTS_MAX_PER_RUN' ? limits.maxEventsPerRun : limits.maxBytesPerRun;

function describeCap(limit: CapLimit, limits: RunEventLimits): string {
  return limit === 'RUN_EVENTS_MAX_PER_RUN'
    ? `${limits.maxEventsPerRun} events per run, ${limit}`
    : `${limits.maxBytesPerRun} bytes of events per run, ${limit}`;
}
