/** Shared by every benchmark: a throwaway database and percentiles. */
import { closeTestDatabases, createTestDatabase } from './databases';
import { startTestPostgres } from './server';

/** Runs `bench` against `url`, or against a throwaway database on the embedded test Postgres. */
export async function withBenchDatabase<T>(
  url: string | undefined,
  bench: (url: string) => Promise<T>,
): Promise<T> {
  if (url) return bench(url);
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

/** The nearest-rank percentile `p` (0–100) of `values`, in any order; 0 when empty. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
