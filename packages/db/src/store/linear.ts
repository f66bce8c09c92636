/**
 * Postgres implementation of the Linear integration port (`LinearStore`): its own small pool,
 * every query scoped by org id. Inbox and outbox rows commit with the work item that drains them.
 */
import type { InboxDelivery, LinearStore, OrgId, OutboxItem } from '@omakase/domain';
import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { type DatabaseSource, useDatabase } from '../database';
import { translateErrors } from '../errors';
import { linearConnections, linearInbox, linearIssueLinks, linearOutbox } from '../schema';
import type { Db } from './context';
import { issueSubject, mergeSettings, toConnection } from './linear-rows';
import { insertAudit } from './security-members';
import { createTenantStore } from './tenant-store';

export { DEFAULT_LINEAR_SETTINGS, issueSubject, parseIssueSubject } from './linear-rows';

// Enqueuing publishes on the work channel itself: no changes collect in the array.
const enqueueIn = (tx: Db, orgId: OrgId, kind: string, issueId: string) =>
  createTenantStore(tx, orgId, []).work.enqueue({ kind, subjectId: issueSubject(orgId, issueId) });

export function createLinearStore(
  source: DatabaseSource,
  opts: { maxConnections?: number } = {},
): LinearStore {
  const database = useDatabase(source, { maxConnections: opts.maxConnections ?? 5 });
  const { db } = database;
  const conn = (orgId: OrgId) => eq(linearConnections.orgId, orgId);
  const link = (orgId: OrgId, issueId: string) =>
    and(eq(linearIssueLinks.orgId, orgId), eq(linearIssueLinks.issueId, issueId));
  const t = translateErrors;

  const connections: LinearStore['connections'] = {
    get: (orgId) =>
      t(async () => {
        const [row] = await db.select().from(linearConnections).where(conn(orgId));
        return row ? toConnection(row) : null;
      }),
    findByLinearOrg: (linearOrgId) =>
      t(async () =>
        (await db.select().from(linearConnections).where(eq(linearConnections.linearOrgId, linearOrgId))).map(
          toConnection,
        ),
      ),
    upsert: (orgId, input, audit) =>
      t(() =>
        db.transaction(async (tx) => {
          const { settings, ...values } = input;
          const row = { ...values, settings: mergeSettings({}, settings), updatedAt: new Date() };
          const [saved] = await tx
            .insert(linearConnections)
            .values({ id: `lin_${ulid().toLowerCase()}`, orgId, ...row })
            .onConflictDoUpdate({
              target: linearConnections.orgId,
              set: { ...values, updatedAt: new Date() },
            })
            .returning();
          if (audit) await insertAudit(tx, orgId, audit);
          return toConnection(saved!);
        }),
      ),
    updateSettings: (orgId, patch) =>
      t(() =>
        db.transaction(async (tx) => {
          const [row] = await tx.select().from(linearConnections).where(conn(orgId)).for('update');
          if (!row) return null;
          const [saved] = await tx
            .update(linearConnections)
            .set({ settings: mergeSettings(row.settings, patch), updatedAt: new Date() })
            .where(conn(orgId))
            .returning();
          return toConnection(saved!);
        }),
      ),
    delete: (orgId, audit) =>
      t(() =>
        db.transaction(async (tx) => {
          const deleted = (await tx.delete(linearConnections).where(conn(orgId)).returning()).length > 0;
          if (deleted && audit) await insertAudit(tx, orgId, audit);
          return deleted;
        }),
      ),
    recordWebhook: (orgId, at) =>
      t(async () => {
        await db.update(linearConnections).set({ lastWebhookAt: at }).where(conn(orgId));
      }),
    recordError: (orgId, message) =>
      t(async () => {
        await db
          .update(linearConnections)
          .set({ lastError: message, lastErrorAt: message ? new Date() : null })
          .where(conn(orgId));
      }),
    withLock: (orgId, fn) =>
      t(() =>
        db.transaction(async (tx) => {
          const [row] = await tx.select().from(linearConnections).where(conn(orgId)).for('update');
          if (!row) throw new Error(`no Linear connection for ${orgId}`);
          return fn(toConnection(row), async (patch) => {
            await tx
              .update(linearConnections)
              .set({ ...patch, updatedAt: new Date() })
              .where(conn(orgId));
          });
        }),
      ),
  };

  const inbox: LinearStore['inbox'] = {
    record: (delivery, work) =>
      t(() =>
        db.transaction(async (tx) => {
          const inserted = await tx
            .insert(linearInbox)
            .values({ ...delivery })
            .onConflictDoNothing({ target: linearInbox.deliveryId })
            .returning({ id: linearInbox.deliveryId });
          if (inserted.length === 0) return false;
          await tx.update(linearConnections).set({ lastWebhookAt: new Date() }).where(conn(delivery.orgId));
          await enqueueIn(tx, delivery.orgId, work.kind, delivery.issueId);
          return true;
        }),
      ),
    pending: (orgId, issueId, limit = 50) =>
      t(async () => {
        const rows = await db
          .select()
          .from(linearInbox)
          .where(
            and(
              eq(linearInbox.orgId, orgId),
              eq(linearInbox.issueId, issueId),
              isNull(linearInbox.processedAt),
            ),
          )
          .orderBy(asc(linearInbox.seq))
          .limit(limit);
        return rows.map(
          (r): InboxDelivery => ({
            ...r,
            orgId: r.orgId as OrgId,
            seq: r.seq,
            payload: r.payload as Record<string, unknown>,
          }),
        );
      }),
    markProcessed: (deliveryId, outcome) =>
      t(async () => {
        await db
          .update(linearInbox)
          .set({ processedAt: new Date(), outcome })
          .where(eq(linearInbox.deliveryId, deliveryId));
      }),
    count: (orgId) =>
      t(
        async () =>
          (await db.select({ n: count() }).from(linearInbox).where(eq(linearInbox.orgId, orgId)))[0]!.n,
      ),
  };

  const outbox: LinearStore['outbox'] = {
    add: (orgId, issueId, items, work, pushed) =>
      t(() =>
        db.transaction(async (tx) => {
          if (pushed) {
            await tx
              .update(linearIssueLinks)
              .set({ pushedStatus: pushed.status, pushedRuns: pushed.runs, updatedAt: new Date() })
              .where(link(orgId, issueId));
          }
          if (items.length === 0) return;
          await tx
            .insert(linearOutbox)
            .values(items.map((item) => ({ id: `lob_${ulid().toLowerCase()}`, orgId, issueId, ...item })));
          await enqueueIn(tx, orgId, work.kind, issueId);
        }),
      ),
    pending: (orgId, issueId, limit = 50) =>
      t(async () => {
        const rows = await db
          .select()
          .from(linearOutbox)
          .where(
            and(
              eq(linearOutbox.orgId, orgId),
              eq(linearOutbox.issueId, issueId),
              isNull(linearOutbox.sentAt),
            ),
          )
          .orderBy(asc(linearOutbox.seq))
          .limit(limit);
        return rows.map(
          (r): OutboxItem => ({
            id: r.id,
            orgId: r.orgId as OrgId,
            issueId: r.issueId,
            seq: r.seq,
            kind: r.kind,
            payload: r.payload as Record<string, unknown>,
            attempts: r.attempts,
          }),
        );
      }),
    markSent: (id) =>
      t(async () => {
        await db.update(linearOutbox).set({ sentAt: new Date() }).where(eq(linearOutbox.id, id));
      }),
    markFailed: (id, error) =>
      t(async () => {
        await db
          .update(linearOutbox)
          .set({ attempts: sql`${linearOutbox.attempts} + 1`, lastError: error.slice(0, 500) })
          .where(eq(linearOutbox.id, id));
      }),
  };

  return { connections, inbox, outbox, close: database.close };
}
