import type { Change, OrgId } from '@omakase/domain';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgDatabase } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import { translateErrors } from '../errors';

/** The root database or a transaction: both run queries the same way. */
export type Db = PgDatabase<PostgresJsQueryResultHKT>;

export const CHANGES_CHANNEL = 'omakase_changes';

/** One statement for all of a transaction's changes (each a JSON text of the array). */
export function notifyChanges(db: Db, changes: readonly Change[]) {
  if (changes.length === 0) return Promise.resolve();
  const texts = JSON.stringify(changes.map((change) => JSON.stringify(change)));
  return db.execute(
    sql`select pg_notify(${CHANGES_CHANNEL}, c) from json_array_elements_text(${texts}::json) as c`,
  );
}

/**
 * Everything a tenant repository may touch. Reads go through `where`, which always starts with
 * `org_id = <this org>`; inserts go through `owned`, which stamps the org id. Repositories never
 * build a WHERE clause or an insert row without one of them.
 *
 * Inside a transaction `pending` collects the changes its writes make; the transaction publishes
 * them with one `pg_notify` statement before it commits (Postgres delivers them on commit and
 * discards them on rollback). Outside one, each write is its own transaction and publishes its own.
 */
export class TenantContext {
  constructor(
    readonly db: Db,
    readonly orgId: OrgId,
    private readonly pending: Change[] | null,
  ) {}

  get inTransaction(): boolean {
    return this.pending !== null;
  }

  where(table: { orgId: PgColumn }, ...conditions: (SQL | undefined)[]): SQL {
    return and(eq(table.orgId, this.orgId), ...conditions)!;
  }

  owned<T extends object>(row: T): T & { orgId: OrgId } {
    return { ...row, orgId: this.orgId };
  }

  /** Runs a read with driver errors translated. */
  read<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return translateErrors(() => work(this.db));
  }

  /** Runs a write in a transaction (the caller's, if any); its changes are published on commit. */
  write<T>(work: (db: Db, emit: (change: Omit<Change, 'orgId'>) => void) => Promise<T>): Promise<T> {
    const emitInto = (changes: Change[]) => (change: Omit<Change, 'orgId'>) =>
      changes.push({ orgId: this.orgId, ...change });
    const pending = this.pending;
    if (pending) return translateErrors(() => work(this.db, emitInto(pending)));
    return translateErrors(() =>
      this.db.transaction(async (tx) => {
        const changes: Change[] = [];
        const result = await work(tx, emitInto(changes));
        await notifyChanges(tx, changes);
        return result;
      }),
    );
  }
}
