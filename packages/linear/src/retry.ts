/** Exponential backoff with full jitter for Linear's rate-limit and complexity errors. */
import { backoffMs } from '@omakase/domain';
import { LinearIntegrationError } from './errors';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests: defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 30_000 };

export interface RateLimitState {
  remaining: number | null;
  resetAt: Date | null;
  complexityRemaining: number | null;
}

/** Reads Linear's `X-RateLimit-*` headers. */
export function readRateLimit(headers: Headers | undefined): RateLimitState | null {
  if (!headers?.get) return null;
  const num = (name: string) => {
    const value = headers.get(name);
    return value === null || value === '' ? null : Number(value);
  };
  const remaining = num('x-ratelimit-requests-remaining');
  const reset = num('x-ratelimit-requests-reset');
  const complexityRemaining = num('x-ratelimit-complexity-remaining');
  if (remaining === null && reset === null && complexityRemaining === null) return null;
  return { remaining, resetAt: reset === null ? null : new Date(reset), complexityRemaining };
}

export function backoffDelay(attempt: number, policy: RetryPolicy, floorMs = 0): number {
  const { baseDelayMs: baseMs, maxDelayMs: maxMs, random } = policy;
  const jittered = backoffMs(attempt + 1, { baseMs, maxMs, jitter: 'equal', random });
  return Math.min(policy.maxDelayMs, Math.max(floorMs, jittered));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn`, retrying retryable `LinearIntegrationError`s; `onRetry` sees each wait. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (info: { attempt: number; delayMs: number; error: LinearIntegrationError }) => void,
  resetAtOf?: (error: LinearIntegrationError) => Date | null,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (
        !(error instanceof LinearIntegrationError) ||
        !error.retryable ||
        attempt + 1 >= policy.maxAttempts
      ) {
        throw error;
      }
      const resetAt = resetAtOf?.(error);
      const floor = resetAt ? Math.max(0, resetAt.getTime() - Date.now()) : 0;
      const delayMs = backoffDelay(attempt, policy, floor);
      onRetry?.({ attempt, delayMs, error });
      await (policy.sleep ?? defaultSleep)(delayMs);
    }
  }
}
