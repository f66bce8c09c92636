/** One storage (connection pool) per server process, opened on first use. */
import { createStorage } from '@omakase/db';
import type { Storage } from '@omakase/domain';
import { env } from './env';

const holder = globalThis as typeof globalThis & { __omakaseStorage?: Storage };

export function storage(): Storage {
  holder.__omakaseStorage ??= createStorage(env().DATABASE_URL);
  return holder.__omakaseStorage;
}
