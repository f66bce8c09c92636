/**
 * Starts tasks without ever losing one: RunTask calls go through a token bucket shaped like
 * ECS's own RunTask limit (a bucket of 100 refilling at 20/s per account and Region by default), a throttled
 * call goes back to the front of the queue after an exponential backoff with full jitter, and
 * the sending rate drops by 30% (at most once a second) on throttling and climbs back by
 * 1/s per success (AIMD).
 */
import { backoffMs } from '@omakase/domain';
import type { Logger } from 'pino';

export interface LauncherOptions<I> {
  send: (input: I) => Promise<string>;
  /** Steady RunTask calls per second we allow ourselves. */
  ratePerSecond: number;
  /**
   * Calls we may make at once before the steady rate applies (ECS's RunTask bucket holds 100).
   * Without it, launches arriving a little faster than `ratePerSecond` each wait for a token.
   */
  burst?: number;
  /** Calls in flight at once. */
  maxInFlight?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts for errors other than throttling (capacity, network) before the start fails. */
  maxAttempts?: number;
  isThrottle?: (error: unknown) => boolean;
  /** Errors no retry can fix (e.g. the org has no runner definition): rejected at once. */
  isPermanent?: (error: unknown) => boolean;
  random?: () => number;
  logger: Logger;
}

interface Pending<I> {
  input: I;
  attempts: number;
  throttles: number;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
}

export const isThrottlingError = (error: unknown) => {
  const name = (error as { name?: string; Code?: string } | null)?.name;
  return (
    name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'RequestLimitExceeded'
  );
};

export class RunTaskLauncher<I> {
  private readonly queue: Pending<I>[] = [];
  private readonly o: Required<Omit<LauncherOptions<I>, 'logger' | 'send'>> & LauncherOptions<I>;
  private rate: number;
  private tokens: number;
  private lastRefill = Date.now();
  private pausedUntil = 0;
  private lastDecrease = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Counters for benchmarks and logs. */
  readonly stats = { sent: 0, throttled: 0, failed: 0, started: 0 };

  constructor(opts: LauncherOptions<I>) {
    this.o = {
      maxInFlight: 16,
      baseBackoffMs: 100,
      maxBackoffMs: 10_000,
      maxAttempts: 5,
      burst: 100,
      isThrottle: isThrottlingError,
      isPermanent: () => false,
      random: Math.random,
      ...opts,
    };
    this.rate = opts.ratePerSecond;
    this.tokens = this.o.burst;
  }

  launch(input: I): Promise<string> {
    if (this.closed) return Promise.reject(new Error('launcher closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, attempts: 0, throttles: 0, resolve, reject });
      this.pump();
    });
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.queue.splice(0)) p.reject(new Error('launcher closed'));
  }

  /** The bucket shrinks with the rate after throttling (AIMD), and grows back with it. */
  private refill(now: number) {
    const capacity = Math.max(1, this.o.burst * (this.rate / this.o.ratePerSecond));
    this.tokens = Math.min(capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
  }

  private pump(): void {
    if (this.closed || this.timer) return;
    const now = Date.now();
    this.refill(now);
    while (this.queue.length > 0 && this.inFlight < this.o.maxInFlight) {
      if (now < this.pausedUntil) {
        this.schedule(this.pausedUntil - now);
        return;
      }
      if (this.tokens < 1) {
        this.schedule(((1 - this.tokens) / this.rate) * 1000);
        return;
      }
      this.tokens -= 1;
      void this.send(this.queue.shift()!);
    }
  }

  private schedule(ms: number) {
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  }

  private backoff(attempt: number): number {
    // Full jitter: spread retries of a burst apart. `attempt` counts from 0 here.
    const { baseBackoffMs: baseMs, maxBackoffMs: maxMs, random } = this.o;
    return backoffMs(attempt + 1, { baseMs, maxMs, jitter: 'full', random });
  }

  private async send(p: Pending<I>): Promise<void> {
    this.inFlight++;
    this.stats.sent++;
    try {
      const handle = await this.o.send(p.input);
      this.stats.started++;
      this.rate = Math.min(this.o.ratePerSecond, this.rate + 1);
      p.resolve(handle);
    } catch (error) {
      if (this.o.isThrottle(error)) {
        this.stats.throttled++;
        // One multiplicative decrease per second: a burst's concurrent throttles count once.
        const now = Date.now();
        if (now - this.lastDecrease > 1000) {
          this.rate = Math.max(1, this.rate * 0.7);
          this.lastDecrease = now;
        }
        this.tokens = 0;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + this.backoff(p.throttles++));
        this.queue.unshift(p); // keep its place: the oldest start goes first
      } else if (!this.o.isPermanent(error) && ++p.attempts < this.o.maxAttempts) {
        this.o.logger.warn({ err: error, attempt: p.attempts }, 'RunTask failed; retrying');
        const delay = this.backoff(p.attempts);
        setTimeout(() => {
          this.queue.unshift(p);
          this.pump();
        }, delay).unref();
      } else {
        this.stats.failed++;
        p.reject(error);
      }
    } finally {
      this.inFlight--;
      this.pump();
    }
  }
}
