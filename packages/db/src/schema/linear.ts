/**
 * Linear integration: one connection per organisation, a durable inbox of webhook deliveries,
 * a durable outbox of updates to send, and the link between a Linear issue and a feature.
 */
import { sql } from 'drizzle-orm';
import {
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
import { createdAt, orgIdColumn, updatedAt } from './tenancy';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const orgFk = (name: string, column: Parameters<typeof foreignKey>[0]['columns'][0]) =>
  foreignKey({ name, columns: [column], foreignColumns: [organizations.id] }).onDelete('cascade');

export const linearConnections = pgTable(
  'linear_connections',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    /** 'oauth' (app actor) or 'api_key' (personal key). */
    mode: text('mode').notNull(),
    linearOrgId: text('linear_org_id').notNull(),
    /** Linear user id our writes appear as: webhooks from this actor are our own echoes. */
    actorId: text('actor_id'),
    /** Sealed (AES-256-GCM) access token or API key; refresh token; webhook signing secret. */
    accessTokenSealed: text('access_token_sealed').notNull(),
    refreshTokenSealed: text('refresh_token_sealed'),
    webhookSecretSealed: text('webhook_secret_sealed'),
    expiresAt: tstz('expires_at'),
    settings: jsonb('settings').notNull().default({}),
    lastWebhookAt: tstz('last_webhook_at'),
    lastError: text('last_error'),
    lastErrorAt: tstz('last_error_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('linear_connections_org_unique').on(t.orgId),
    index('linear_connections_linear_org_idx').on(t.linearOrgId),
    orgFk('linear_connections_org_fk', t.orgId),
  ],
);

/** Every verified webhook delivery, keyed by Linear's delivery id (duplicates are ignored). */
export const linearInbox = pgTable(
  'linear_inbox',
  {
    deliveryId: text('delivery_id').primaryKey(),
    orgId: orgIdColumn(),
    /** The Linear issue the delivery is about: deliveries are processed in order per issue. */
    issueId: text('issue_id').notNull(),
    seq: integer('seq').generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    action: text('action').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: createdAt(),
    processedAt: tstz('processed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    index('linear_inbox_pending_idx').on(t.orgId, t.issueId, t.seq).where(sql`${t.processedAt} is null`),
    orgFk('linear_inbox_org_fk', t.orgId),
  ],
);

/** Updates to send to Linear, in order per issue; a row stays until Linear accepted it. */
export const linearOutbox = pgTable(
  'linear_outbox',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    issueId: text('issue_id').notNull(),
    seq: integer('seq').generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('linear_outbox_pending_idx').on(t.orgId, t.issueId, t.seq).where(sql`${t.sentAt} is null`),
    orgFk('linear_outbox_org_fk', t.orgId),
  ],
);

/** A Linear issue mirrored as a feature, with what we last saw and last pushed. */
export const linearIssueLinks = pgTable(
  'linear_issue_links',
  {
    orgId: orgIdColumn(),
    issueId: text('issue_id').notNull(),
    identifier: text('identifier').notNull(),
    featureId: text('feature_id'),
    /** Linear's `updatedAt` of the newest version applied: older deliveries are stale. */
    remoteUpdatedAt: tstz('remote_updated_at').notNull(),
    agentSessionId: text('agent_session_id'),
    /** Feature status last reflected to Linear, and the run outputs already commented. */
    pushedStatus: text('pushed_status'),
    pushedRuns: jsonb('pushed_runs').notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('linear_issue_links_pk').on(t.orgId, t.issueId),
    index('linear_issue_links_feature_idx').on(t.featureId),
    orgFk('linear_issue_links_org_fk', t.orgId),
  ],
);
