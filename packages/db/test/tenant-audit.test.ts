/**
 * Audit entries written through a tenant store's transaction commit, or roll back, together with
 * the change they record: never a change without its entry, never an entry for a change that
 * did not happen.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecurityStorage } from '../src/store/security';
import { newOrg, newProject, useStorage } from './helpers';

const { storage, url } = await useStorage();
const security = createSecurityStorage(url, { maxConnections: 1 });
const sql = postgres(url, { max: 1, onnotice: () => {} });
afterAll(async () => {
  await security.close();
  await sql.end();
});

const entriesFor = async (orgId: Parameters<typeof security.forOrg>[0], target: string) =>
  (await security.forOrg(orgId).audit.list({ limit: 100 })).filter((e) => e.target === target);

describe('audit entries in the change transaction', () => {
  it('a committed deletion leaves exactly one entry', async () => {
    const store = await newOrg(storage);
    const projectId = await newProject(store, 'AUD');
    await store.transaction(async (tx) => {
      expect(await tx.projects.delete(projectId)).toBe(true);
      await tx.audit.record({ actor: 'user:test', action: 'project.deleted', target: projectId });
    });
    expect(await store.projects.get(projectId)).toBeNull();
    expect(await entriesFor(store.orgId, projectId)).toMatchObject([
      { action: 'project.deleted', actor: 'user:test', target: projectId },
    ]);
  });

  it('a change that fails after its entry was written leaves no entry', async () => {
    const store = await newOrg(storage);
    const projectId = await newProject(store, 'AUD');
    await expect(
      store.transaction(async (tx) => {
        await tx.audit.record({ actor: 'user:test', action: 'project.deleted', target: projectId });
        await tx.projects.delete(projectId);
        throw new Error('the rest of the change failed');
      }),
    ).rejects.toThrow('the rest of the change failed');
    expect(await store.projects.get(projectId)).not.toBeNull();
    expect(await entriesFor(store.orgId, projectId)).toEqual([]);
  });

  it('an entry that cannot be written undoes the change', async () => {
    const store = await newOrg(storage);
    const projectId = await newProject(store, 'AUD');
    await sql.unsafe(`
      create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit log unavailable'; end $$;
      create trigger refuse_audit before insert on audit_log
        for each row when (new.target = '${projectId}') execute function refuse_audit();`);
    try {
      await expect(
        store.transaction(async (tx) => {
          await tx.projects.delete(projectId);
          await tx.audit.record({ actor: 'user:test', action: 'project.deleted', target: projectId });
        }),
      ).rejects.toThrow();
    } finally {
      await sql.unsafe('drop trigger refuse_audit on audit_log; drop function refuse_audit();');
    }
    expect(await store.projects.get(projectId)).not.toBeNull();
    expect(await entriesFor(store.orgId, projectId)).toEqual([]);
  });
});
