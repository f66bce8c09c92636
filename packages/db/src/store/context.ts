import type { Change, OrgId } from '@omakase/domain';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgDatabase } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import { translateErrors } from '../errors';

/** The root database or a transaction: both run queries the same way. */
export type Db = PgDatabase<PostgresJsQueryResultHKT>;

export const CHANGES_CHANNEL = 'omakase_changes';

/**
 * Everything a tenant repository may touch. Reads go through `where`, which always starts with
 * `org_id = <this org>`; inserts go through `owned`, which stamps the org id. Repositories never
 * build a WHERE clause or an insert row without one of them.
 */
export class TenantContext {
  constructor(
    readonly db: Db,
    readonly orgId: OrgId,
    readonly inTransaction: boolean,
  ) {}

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

  /**
   * Runs a write in a transaction (the caller's, if any) and publishes its changes with
   * `pg_notify`, which Postgres delivers on commit and discards on rollback.
   */
  write<T>(work: (db: Db, emit: (change: Omit<Change, 'orgId'>) => void) => Promise<T>): Promise<T> {
    const run = async (db: Db) => {
      const changes: Change[] = [];
      const result = await work(db, (change) => changes.push({ orgId: this.orgId, ...change }));
      for (const change of changes) {
        await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`);
      }
      return result;
    };
    return translateErrors(() => (this.inTransaction ? run(this.db) : this.db.transaction(run)));
  }
}
