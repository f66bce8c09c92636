import { ROLES } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, inList, orgIdColumn } from './tenancy';

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Auth0 organisation id (`org_id` claim). */
  externalId: text('external_id').notNull().unique('organizations_external_id_unique'),
  createdAt: createdAt(),
});

export const members = pgTable(
  'members',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    userId: text('user_id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('members_org_user_unique').on(t.orgId, t.userId),
    index('members_user_id_idx').on(t.userId),
    foreignKey({ name: 'members_org_fk', columns: [t.orgId], foreignColumns: [organizations.id] }).onDelete(
      'cascade',
    ),
    check('members_role_check', sql`${t.role} in ${inList(ROLES)}`),
  ],
);
