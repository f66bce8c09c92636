import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { organizations } from './organizations';
import { createdAt, orgIdColumn } from './tenancy';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The orchestrator's durable queue, leased with `FOR UPDATE SKIP LOCKED`. */
export const workItems = pgTable(
  'work_items',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    kind: text('kind').notNull(),
    subjectId: text('subject_id').notNull(),
    payload: jsonb('payload').notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    runAfter: tstz('run_after').notNull().defaultNow(),
    /**
     * When the item may next be claimed: `run_after` while unleased, the lease expiry while leased.
     * The claim scan walks its index in order and stops at `now()`, so it never wades through
     * items other workers hold (which made claiming O(leased items)).
     */
    availableAt: tstz('available_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: tstz('lease_expires_at'),
    lastError: text('last_error'),
    completedAt: tstz('completed_at'),
    /** Set (with `completed_at`) when the item failed its kind's attempts: a dead letter, shown to admins. */
    deadAt: tstz('dead_at'),
    /** Set when the subject was enqueued again while leased: completing then re-opens the item. */
    requeue: boolean('requeue').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // At most one open item per subject and kind: enqueue is idempotent.
    uniqueIndex('work_items_open_subject_unique')
      .on(t.kind, t.subjectId)
      .where(sql`${t.completedAt} is null`),
    // Serves the claim scan: open items in due order.
    index('work_items_claim_idx').on(t.availableAt, t.id).where(sql`${t.completedAt} is null`),
    index('work_items_org_idx').on(t.orgId),
    // The dead letters of an org, newest first.
    index('work_items_dead_idx').on(t.orgId, t.deadAt).where(sql`${t.deadAt} is not null`),
    foreignKey({
      name: 'work_items_org_fk',
      columns: [t.orgId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
  ],
);
