/**
 * Token buckets per key (`org:<id>`, `ip:<addr>`), kept in this process's memory: the cheap first
 * line of every limit. The budget across instances is enforced by shared-rate-limit.ts.
 */
import { env } from '../env';
import { clientAddress } from './client-address';

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until one token is available again (for `Retry-After`). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `cost` tokens at once (e.g. a batch of events); never more than the bucket holds. */
  take(key: string, cost = 1): RateLimitDecision {
    const need = Math.min(cost, this.capacity);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(
      this.capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.refillPerSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 50_000) this.evictFull(now);
    if (bucket.tokens >= need) {
      bucket.tokens -= need;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((need - bucket.tokens) / this.refillPerSecond)),
    };
  }

  /** Buckets that have refilled completely carry no information. */
  private evictFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.updatedAt) / 1000) * this.refillPerSecond >= this.capacity)
        this.buckets.delete(key);
    }
  }
}

const holder = globalThis as typeof globalThis & { __omakaseRateLimits?: Map<string, TokenBuckets> };

/** A named limiter shared by the route handlers and the middleware of this process. */
export function limiter(name: string, perMinute: number): TokenBuckets {
  holder.__omakaseRateLimits ??= new Map();
  let buckets = holder.__omakaseRateLimits.get(name);
  if (!buckets || buckets.capacity !== perMinute) {
    buckets = new TokenBuckets(perMinute, perMinute / 60);
    holder.__omakaseRateLimits.set(name, buckets);
  }
  return buckets;
}

/** The client address: the socket peer, or what trusted proxies say it is (client-address.ts). */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, env().TRUSTED_PROXIES);
}

export function tooManyRequests(retryAfterSeconds: number): Response {
  return Response.json(
    { error: { code: 'rate_limited', message: `too many requests; retry in ${retryAfterSeconds} s` } },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}
