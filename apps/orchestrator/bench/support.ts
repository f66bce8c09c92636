import { closeTestDatabases, createTestDatabase, startTestPostgres } from '@omakase/db/testing';
import pino from 'pino';

export const quietLogger = () => pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

/** Runs `bench` on a throwaway database (embedded Postgres unless `TEST_DATABASE_URL` names a server). */
export async function withDatabase<T>(bench: (url: string) => Promise<T>): Promise<T> {
  const server = await startTestPostgres();
  const database = await createTestDatabase();
  try {
    return await bench(database.url);
  } finally {
    await database.drop();
    await closeTestDatabases();
    await server.stop();
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
