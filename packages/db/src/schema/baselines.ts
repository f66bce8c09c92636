import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { projects } from './projects';
import { createdAt, orgIdColumn } from './tenancy';

/**
 * The project's test command run on a base commit by a setup run (before any agent touched the
 * workspace), kept so every feature forked from that commit compares against it without running
 * the suite on the base again. First writer wins; `reuses` counts the runs it saved.
 */
export const testBaselines = pgTable(
  'test_baselines',
  {
    orgId: orgIdColumn(),
    projectId: text('project_id').notNull(),
    baseCommit: text('base_commit').notNull(),
    command: text('command').notNull(),
    /** `{exitCode, failing: test ids, format}` as the runner's verdict module summarises it. */
    summary: jsonb('summary').notNull(),
    runId: text('run_id').notNull(),
    reuses: integer('reuses').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.projectId, t.baseCommit, t.command] }),
    foreignKey({
      name: 'test_baselines_project_fk',
      columns: [t.orgId, t.projectId],
      foreignColumns: [projects.orgId, projects.id],
    }).onDelete('cascade'),
    check('test_baselines_commit_check', sql`${t.baseCommit} ~ '^[0-9a-f]{40,64}$'`),
  ],
);
