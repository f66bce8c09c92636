/** One database (connection pool) per server process, opened on first use; every store shares it. */
import { createStorage, type Database, type PostgresStorage } from '@omakase/db';
import type { Storage } from '@omakase/domain';
import { env } from './env';

const holder = globalThis as typeof globalThis & { __omakaseStorage?: PostgresStorage };

export function storage(): Storage {
  holder.__omakaseStorage ??= createStorage(env().DATABASE_URL);
  return holder.__omakaseStorage;
}

/** The pool under `storage()`, for the process's other stores (security, Linear, …). */
export function database(): Database {
  storage();
  return holder.__omakaseStorage!.database;
}
