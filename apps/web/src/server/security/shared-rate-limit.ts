/**
 * Rate limits that hold across web instances. The in-process token bucket answers first (free,
 * and a flood never reaches the database); what it lets through is counted in Postgres, one
 * UPSERT per request on the (key, minute) row every instance shares, read as a sliding window
 * together with the previous minute's row. If the database cannot
 * count, the per-process bucket alone decides (logged), rather than failing the request.
 */
import { createRateLimitStore, type RateLimitStore } from '@omakase/db';
import { logger } from '../logger';
import { database } from '../storage';
import { limiter, type RateLimitDecision } from './rate-limit';

const WINDOW_MS = 60_000;
const holder = globalThis as typeof globalThis & { __omakaseRateLimitStore?: RateLimitStore };

function counters(): RateLimitStore {
  holder.__omakaseRateLimitStore ??= createRateLimitStore(database());
  return holder.__omakaseRateLimitStore;
}

export async function takeShared(name: string, perMinute: number, key: string): Promise<RateLimitDecision> {
  const local = limiter(name, perMinute).take(key);
  if (!local.allowed) return local;
  try {
    // Keys carry client-supplied text (X-Forwarded-For): bounded before they become rows.
    const hit = await counters().hit(`${name}:${key}`.slice(0, 200), WINDOW_MS, perMinute);
    return hit.estimate > perMinute ? { allowed: false, retryAfterSeconds: hit.retryAfterSeconds } : local;
  } catch (error) {
    logger.warn({ err: error, limiter: name }, 'shared rate limit unavailable; per-process limit only');
    return local;
  }
}
