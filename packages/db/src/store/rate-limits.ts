/**
 * Rate limits that hold across web instances: one UPSERT per request on the counter row of
 * (key, fixed window), windows aligned on the database clock so every instance agrees on them.
 * Windows older than a few minutes are deleted now and then by whichever instance gets there.
 */
import postgres from 'postgres';

export interface RateLimitHit {
  /** Requests counted for the key in the current window, this one included. */
  count: number;
  /** Whole seconds until the current window ends (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}

const SWEEP_EVERY = 1000;

export function createRateLimitStore(url: string, opts: { maxConnections?: number } = {}): RateLimitStore {
  const sql = postgres(url, { max: opts.maxConnections ?? 4, onnotice: () => {} });
  let hits = 0;

  const sweep = () =>
    sql`delete from rate_limit_windows where window_start < now() - interval '10 minutes'`.catch(() => {
      // best effort: the next sweep tries again
    });

  return {
    async hit(key, windowMs) {
      if (++hits % SWEEP_EVERY === 0) void sweep();
      const [row] = await sql`
        with w as (
          select to_timestamp(floor(extract(epoch from now()) * 1000 / ${windowMs}) * ${windowMs} / 1000.0) as start
        )
        insert into rate_limit_windows as r (key, window_start, count)
          select ${key}, w.start, 1 from w
        on conflict (key, window_start) do update set count = r.count + 1
        returning r.count,
          ceil(extract(epoch from r.window_start) + ${windowMs} / 1000.0 - extract(epoch from now()))::int as retry_after`;
      return { count: Number(row!.count), retryAfterSeconds: Math.max(1, Number(row!.retry_after)) };
    },
    close: () => sql.end(),
  };
}
