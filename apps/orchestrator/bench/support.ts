import { percentile, withBenchDatabase } from '@omakase/db/testing';
import pino from 'pino';

export const quietLogger = () => pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

/** Runs `bench` on a throwaway database (embedded Postgres unless `TEST_DATABASE_URL` names a server). */
export const withDatabase = <T>(bench: (url: string) => Promise<T>) => withBenchDatabase(undefined, bench);

export { percentile };

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
