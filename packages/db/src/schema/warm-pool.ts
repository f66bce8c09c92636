import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from './organizations';
import { createdAt, inList, orgIdColumn } from './tenancy';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const WARM_RUNNER_STATUSES = ['starting', 'waiting', 'assigned'] as const;

/**
 * Warm runner tasks of an org's pool. `starting` until the task long-polls the claim endpoint
 * (then `waiting`); the orchestrator's launch turns one `waiting` row into `assigned` with the run
 * it hands over. A row is assigned at most once: one warm task serves exactly one run.
 */
export const warmRunners = pgTable(
  'warm_runners',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    /** The compute handle (ECS task ARN); null until RunTask answered. */
    handle: text('handle'),
    /** Orchestrator that started the task (and watches it while it is warm). */
    ownerId: text('owner_id').notNull(),
    status: text('status').notNull().default('starting'),
    runId: text('run_id'),
    /** Plain runner configuration for the assigned run (never a secret). */
    runEnv: jsonb('run_env').$type<Record<string, string>>(),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at'),
    assignedAt: tstz('assigned_at'),
  },
  (t) => [
    index('warm_runners_org_status_idx').on(t.orgId, t.status),
    check('warm_runners_status_check', sql`${t.status} in ${inList(WARM_RUNNER_STATUSES)}`),
    foreignKey({
      name: 'warm_runners_org_fk',
      columns: [t.orgId],
      foreignColumns: [organizations.id],
    }).onDelete('cascade'),
  ],
);
