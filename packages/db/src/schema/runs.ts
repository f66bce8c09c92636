import { RUN_EVENT_TYPES, RUN_ROLES, RUN_STATUSES } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { features } from './projects';
import { createdAt, inList, orgIdColumn } from './tenancy';

export const agentRuns = pgTable(
  'agent_runs',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    projectId: text('project_id').notNull(),
    featureId: text('feature_id').notNull(),
    role: text('role').notNull(),
    status: text('status').notNull().default('queued'),
    attempt: integer('attempt').notNull().default(1),
    input: jsonb('input').notNull().default({}),
    output: jsonb('output'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    tokensIn: bigint('tokens_in', { mode: 'number' }).notNull().default(0),
    tokensOut: bigint('tokens_out', { mode: 'number' }).notNull().default(0),
    costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
    usageByModel: jsonb('usage_by_model').notNull().default({}),
    computeSeconds: doublePrecision('compute_seconds').notNull().default(0),
    exitReason: text('exit_reason'),
    /** The commit the feature's branch forked from (set by the orchestrator at launch). */
    baseCommit: text('base_commit'),
    /** Next run-event sequence number; bumped under the row lock so sequences are gap-free. */
    nextEventSeq: integer('next_event_seq').notNull().default(1),
    /** Bytes of the stored events' payloads (JSON), bumped with `nextEventSeq`: the per-run cap. */
    eventBytes: bigint('event_bytes', { mode: 'number' }).notNull().default(0),
    /** Set with the one "log truncated" marker: the run's log takes no more events. */
    eventsTruncated: boolean('events_truncated').notNull().default(false),
  },
  (t) => [
    unique('agent_runs_org_id_unique').on(t.orgId, t.id),
    index('agent_runs_org_feature_idx').on(t.orgId, t.featureId),
    index('agent_runs_org_project_idx').on(t.orgId, t.projectId),
    // The feature must belong to the same org *and* project as the run.
    foreignKey({
      name: 'agent_runs_feature_fk',
      columns: [t.orgId, t.projectId, t.featureId],
      foreignColumns: [features.orgId, features.projectId, features.id],
    }).onDelete('cascade'),
    check('agent_runs_role_check', sql`${t.role} in ${inList(RUN_ROLES)}`),
    check('agent_runs_status_check', sql`${t.status} in ${inList(RUN_STATUSES)}`),
  ],
);

export const runEvents = pgTable(
  'run_events',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('run_events_run_seq_unique').on(t.runId, t.seq),
    index('run_events_org_run_idx').on(t.orgId, t.runId),
    foreignKey({
      name: 'run_events_run_fk',
      columns: [t.orgId, t.runId],
      foreignColumns: [agentRuns.orgId, agentRuns.id],
    }).onDelete('cascade'),
    check('run_events_type_check', sql`${t.type} in ${inList(RUN_EVENT_TYPES)}`),
    check('run_events_seq_check', sql`${t.seq} > 0`),
  ],
);
