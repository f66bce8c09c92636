import { FEATURE_STATUSES, PRIORITIES, PROJECT_STATUSES } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { organizations } from './organizations';
import { createdAt, inList, orgIdColumn, updatedAt } from './tenancy';

/**
 * Tenant integrity: every child row references its parent through `(org_id, id)` composite
 * foreign keys, so a row can never point at another organisation's row.
 */
export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    repositoryUrl: text('repository_url').notNull(),
    defaultBranch: text('default_branch').notNull().default('main'),
    status: text('status').notNull().default('active'),
    settings: jsonb('settings').notNull(),
    /** What the orchestrator detected in the repository (`{commands, baseCommit, detectedAt}`); null until then. */
    detectedCommands: jsonb('detected_commands'),
    /** The number the next feature key gets (`<keyPrefix>-<n>`); bumped atomically. */
    nextFeatureNumber: integer('next_feature_number').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('projects_org_id_unique').on(t.orgId, t.id),
    unique('projects_org_name_unique').on(t.orgId, t.name),
    unique('projects_org_key_prefix_unique').on(t.orgId, t.keyPrefix),
    foreignKey({ name: 'projects_org_fk', columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete(
      'cascade',
    ),
    check('projects_status_check', sql`${t.status} in ${inList(PROJECT_STATUSES)}`),
    check('projects_key_prefix_check', sql`${t.keyPrefix} ~ '^[A-Z][A-Z0-9]{0,9}$'`),
  ],
);

export const features = pgTable(
  'features',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    projectId: text('project_id').notNull(),
    key: text('key').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    acceptanceCriteria: jsonb('acceptance_criteria').notNull().default([]),
    category: text('category').notNull().default('general'),
    priority: smallint('priority').notNull().default(0),
    status: text('status').notNull().default('pending'),
    needsInput: jsonb('needs_input'),
    linearIssueId: text('linear_issue_id'),
    linearUrl: text('linear_url'),
    branchName: text('branch_name'),
    pullRequestUrl: text('pull_request_url'),
    counters: jsonb('counters').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('features_org_id_unique').on(t.orgId, t.id),
    unique('features_org_project_id_unique').on(t.orgId, t.projectId, t.id),
    unique('features_project_key_unique').on(t.projectId, t.key),
    index('features_org_project_idx').on(t.orgId, t.projectId),
    foreignKey({
      name: 'features_project_fk',
      columns: [t.orgId, t.projectId],
      foreignColumns: [projects.orgId, projects.id],
    }).onDelete('cascade'),
    check('features_priority_check', sql`${t.priority} in ${inList(PRIORITIES)}`),
    check('features_status_check', sql`${t.status} in ${inList(FEATURE_STATUSES)}`),
  ],
);

export const featureDependencies = pgTable(
  'feature_dependencies',
  {
    orgId: orgIdColumn(),
    featureId: text('feature_id').notNull(),
    dependsOnId: text('depends_on_id').notNull(),
    /** Keeps `dependsOn` in the order it was given. */
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'feature_dependencies_pk', columns: [t.featureId, t.dependsOnId] }),
    index('feature_dependencies_org_depends_on_idx').on(t.orgId, t.dependsOnId),
    foreignKey({
      name: 'feature_dependencies_feature_fk',
      columns: [t.orgId, t.featureId],
      foreignColumns: [features.orgId, features.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'feature_dependencies_depends_on_fk',
      columns: [t.orgId, t.dependsOnId],
      foreignColumns: [features.orgId, features.id],
    }).onDelete('cascade'),
    check('feature_dependencies_not_self_check', sql`${t.featureId} <> ${t.dependsOnId}`),
  ],
);
