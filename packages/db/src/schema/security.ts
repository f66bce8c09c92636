/** Organisation security: invitations, the audit log, per-org data keys and encrypted secrets. */
import { ROLES } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { organizations } from './organizations';
import { createdAt, inList, orgIdColumn, updatedAt } from './tenancy';

const orgFk = (name: string, column: Parameters<typeof foreignKey>[0]['columns'][0]) =>
  foreignKey({ name, columns: [column], foreignColumns: [organizations.id] }).onDelete('cascade');

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    /** SHA-256 of the link's token: the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique('invitations_token_hash_unique'),
    invitedBy: text('invited_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_org_idx').on(t.orgId, t.createdAt),
    orgFk('invitations_org_fk', t.orgId),
    check('invitations_role_check', sql`${t.role} in ${inList(ROLES)}`),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_org_idx').on(t.orgId, t.id), orgFk('audit_log_org_fk', t.orgId)],
);

export const orgDataKeys = pgTable(
  'org_data_keys',
  {
    orgId: text('org_id').primaryKey(),
    wrappedKey: text('wrapped_key').notNull(),
    keyId: text('key_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [orgFk('org_data_keys_org_fk', t.orgId)],
);

export const orgSecrets = pgTable(
  'org_secrets',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    /** AES-256-GCM under the org's data key (`v1.<iv>.<tag>.<ciphertext>`). */
    ciphertext: text('ciphertext').notNull(),
    last4: text('last4'),
    updatedBy: text('updated_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('org_secrets_org_name_unique').on(t.orgId, t.name), orgFk('org_secrets_org_fk', t.orgId)],
);
