/**
 * One database object per process: a single postgres.js pool and its drizzle wrapper, shared
 * by every store the process builds (`createStorage(url).database`), so any store's writes can
 * join another's transaction and the process holds one pool, not one per store.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import type { Db } from './store/context';

export interface Database {
  readonly sql: Sql;
  readonly db: Db;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Called with every statement sent (benchmarks count round trips with it). */
  onQuery?: (statement: string) => void;
}

export function openDatabase(url: string, opts: DatabaseOptions = {}): Database {
  const { onQuery } = opts;
  const sql = postgres(url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
    ...(onQuery ? { debug: (_connection: number, statement: string) => onQuery(statement) } : {}),
  });
  return { sql, db: drizzle({ client: sql }), close: () => sql.end({ timeout: 5 }) };
}

/**
 * What a store is built on: the process's shared database (its owner closes it; the store's
 * `close` leaves it open), or a URL for a pool of the store's own (tests standing in for
 * another process).
 */
export type DatabaseSource = Database | string;

export function useDatabase(source: DatabaseSource, opts: DatabaseOptions = {}): Database {
  if (typeof source !== 'string') return { ...source, close: async () => {} };
  return openDatabase(source, opts);
}
