import { sql } from 'drizzle-orm';
import { text, timestamp } from 'drizzle-orm/pg-core';

/** Renders `IN ('a','b')` for CHECK constraints from the domain's literal lists (trusted constants). */
export function inList(values: readonly (string | number)[]) {
  const rendered = values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`));
  return sql.raw(`(${rendered.join(', ')})`);
}

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const orgIdColumn = () => text('org_id').notNull();
