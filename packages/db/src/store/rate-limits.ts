/**
 * Rate limits that hold across web instances, as a sliding-window counter: one UPSERT per request
 * on the counter row of (key, fixed window) — windows aligned on the database clock, so every
 * instance agrees on them — and the previous window's count, weighted by how much of it still
 * lies within the last `windowMs`. Unlike a bare fixed window, that allows no double burst
 * across a window boundary. Windows older than a few minutes are deleted now and then.
 */
import { type DatabaseSource, useDatabase } from '../database';

export interface RateLimitHit {
  /** Requests counted for the key in the current window, this one included. */
  count: number;
  /** The previous window's count. */
  previous: number;
  /** How far into the current window this request came (0 ≤ elapsed < 1). */
  elapsed: number;
  /** Requests in the last `windowMs`, estimated: `previous × (1 − elapsed) + count`. */
  estimate: number;
  /** Whole seconds until one more request would fit under `limit` (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number, limit: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}

/** When the estimate next allows one more request: the previous window's share decays linearly. */
export function secondsUntilAllowed(
  hit: Omit<RateLimitHit, 'retryAfterSeconds' | 'estimate'>,
  limit: number,
  windowMs: number,
) {
  const room = limit - 1; // the next request must fit: estimate + 1 ≤ limit
  let waitFraction: number;
  if (hit.count > room) {
    // Not before this window ends; then this window's count decays as the previous one.
    waitFraction = 1 - hit.elapsed + Math.max(0, 1 - room / hit.count);
  } else if (hit.previous > 0) {
    waitFraction = Math.max(0, 1 - (room - hit.count) / hit.previous - hit.elapsed);
  } else {
    waitFraction = 0;
  }
  return Math.max(1, Math.ceil((waitFraction * windowMs) / 1000));
}

const SWEEP_EVERY = 1000;

export function createRateLimitStore(
  source: DatabaseSource,
  opts: { maxConnections?: number } = {},
): RateLimitStore {
  const database = useDatabase(source, { maxConnections: opts.maxConnections ?? 4 });
  const { sql } = database;
  let hits = 0;

  const sweep = () =>
    sql`delete from rate_limit_windows where window_start < now() - interval '10 minutes'`.catch(() => {
      // best effort: the next sweep tries again
    });

  return {
    async hit(key, windowMs, limit) {
      if (++hits % SWEEP_EVERY === 0) void sweep();
      const [row] = await sql`
        with w as (
          select floor(extract(epoch from now()) * 1000 / ${windowMs}) as idx,
                 extract(epoch from now()) * 1000 as now_ms
        ), counted as (
          insert into rate_limit_windows as r (key, window_start, count)
            select ${key}, to_timestamp(w.idx * ${windowMs} / 1000.0), 1 from w
          on conflict (key, window_start) do update set count = r.count + 1
          returning r.count
        )
        select counted.count,
          coalesce((
            select p.count from rate_limit_windows p
            where p.key = ${key} and p.window_start = to_timestamp((w.idx - 1) * ${windowMs} / 1000.0)
          ), 0) as previous,
          (w.now_ms - w.idx * ${windowMs}) / ${windowMs} as elapsed
        from counted, w`;
      const counts = {
        count: Number(row!.count),
        previous: Number(row!.previous),
        elapsed: Math.min(Math.max(Number(row!.elapsed), 0), 0.999_999),
      };
      return {
        ...counts,
        estimate: counts.previous * (1 - counts.elapsed) + counts.count,
        retryAfterSeconds: secondsUntilAllowed(counts, limit, windowMs),
      };
    },
    close: database.close,
  };
}
