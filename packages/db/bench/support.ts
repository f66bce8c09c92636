import { pathToFileURL } from 'node:url';
import { closeTestDatabases, createTestDatabase, startTestPostgres } from '../src/testing';

/** Runs `bench` against `url`, or against a throwaway database on an embedded Postgres. */
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

export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
