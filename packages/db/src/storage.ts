import type { Membership, Organization, OrgId, Storage, WorkQueue } from '@omakase/domain';
import { newId } from '@omakase/domain';
import { asc, eq } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { createChangeFeed } from './changes';
import { type Database, type DatabaseOptions, type DatabaseSource, useDatabase } from './database';
import { translateErrors } from './errors';
import { members, organizations } from './schema';
import { toMember, toOrganization } from './store/mappers';
import { createTenantStore } from './store/tenant-store';
import { createWorkQueue } from './work-queue';

export interface StorageOptions extends DatabaseOptions {
  logger?: Logger;
}

/** The Postgres storage: the port, with the queue's optional wake-up feed always present. */
export interface PostgresStorage extends Storage {
  work: Required<WorkQueue>;
  /** The pool under it, for the process's other stores (`createLinearStore(storage.database)`, …). */
  database: Database;
}

/**
 * The Postgres implementation of the domain's storage port. From a URL it opens the process's
 * database and `close` ends it; from a shared database it leaves that to its owner.
 */
export function createStorage(source: DatabaseSource, opts: StorageOptions = {}): PostgresStorage {
  const logger = opts.logger ?? pino({ name: 'omakase-db' });
  const database = useDatabase(source, opts);
  const { sql, db } = database;
  const onListenerError = (error: unknown) => logger.error({ err: error }, 'change handler failed');

  const organizationsApi: Storage['organizations'] = {
    get: (id) =>
      translateErrors(async () => {
        const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
        return row ? toOrganization(row) : null;
      }),
    findByExternalId: (externalId) =>
      translateErrors(async () => {
        const [row] = await db.select().from(organizations).where(eq(organizations.externalId, externalId));
        return row ? toOrganization(row) : null;
      }),
    create: (input): Promise<Organization> =>
      translateErrors(async () => {
        const [row] = await db
          .insert(organizations)
          .values({ id: newId('org'), name: input.name, externalId: input.externalId })
          .returning();
        return toOrganization(row!);
      }),
    membershipsOf: (userId): Promise<Membership[]> =>
      translateErrors(async () => {
        const rows = await db
          .select({ organization: organizations, member: members })
          .from(members)
          .innerJoin(organizations, eq(organizations.id, members.orgId))
          .where(eq(members.userId, userId))
          .orderBy(asc(organizations.name));
        return rows.map((row) => ({
          organization: toOrganization(row.organization),
          member: toMember(row.member),
        }));
      }),
  };

  return {
    forOrg: (orgId: OrgId) => createTenantStore(db, orgId),
    organizations: organizationsApi,
    work: createWorkQueue(sql, onListenerError),
    changes: createChangeFeed(sql, onListenerError),
    database,
    close: database.close,
  };
}
