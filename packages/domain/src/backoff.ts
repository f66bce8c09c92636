export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** `full`: uniform in [0, d); `equal`: uniform in [d/2, d). Without it: exactly d. */
  jitter?: 'full' | 'equal';
  /** Math.random unless given (tests). */
  random?: () => number;
}

/** The wait after failure `attempt` (1-based): `baseMs`, doubling per attempt, capped at `maxMs`. */
export function backoffMs(attempt: number, opts: BackoffOptions): number {
  const delay = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  if (!opts.jitter) return delay;
  const r = (opts.random ?? Math.random)();
  return opts.jitter === 'full' ? r * delay : delay / 2 + r * (delay / 2);
}
