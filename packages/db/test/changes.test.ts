import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { newOrg, newProject, recordChanges, useStorage } from './helpers';

const { storage, url } = await useStorage();

describe('change feed', () => {
  it('publishes committed writes with small id-only payloads', async () => {
    const changes = await recordChanges(storage);
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'CHG');
    const feature = await org.features.create(projectId, { title: 'f' });
    const run = await org.runs.create({ featureId: feature.id, role: 'coder' });
    await org.events.append(run.id, [{ type: 'thought', payload: { text: 'x' } }]);
    await org.features.update(feature.id, { status: 'architecting' });
    await org.features.delete(feature.id);

    const last = await changes.next((c) => c.entity === 'feature' && c.op === 'delete');
    expect(last).toEqual({ orgId: org.orgId, projectId, entity: 'feature', id: feature.id, op: 'delete' });
    expect(changes.seen.filter((c) => c.orgId === org.orgId).map((c) => `${c.entity}:${c.op}`)).toEqual([
      'project:insert',
      'feature:insert',
      'run:insert',
      'event:insert',
      'feature:update',
      'feature:delete',
    ]);
    expect(changes.seen.find((c) => c.entity === 'event')).toMatchObject({ id: run.id, projectId });
    await changes.unsubscribe();
  });

  it('delivers on commit and never for a rolled-back transaction', async () => {
    const changes = await recordChanges(storage);
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'RB');
    await changes.next((c) => c.id === projectId);

    let insideTx: string | undefined;
    await expect(
      org.transaction(async (tx) => {
        insideTx = (await tx.features.create(projectId, { title: 'rolled back' })).id;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // Notifications arrive in commit order on one connection: once the marker written after
    // the rollback arrives, a notification from the rolled-back transaction can no longer come.
    const marker = await org.features.create(projectId, { title: 'marker' });
    await changes.next((c) => c.id === marker.id);
    expect(insideTx).toBeDefined();
    expect(changes.seen.some((c) => c.id === insideTx)).toBe(false);

    let committed: string | undefined;
    const pending = org.transaction(async (tx) => {
      committed = (await tx.features.create(projectId, { title: 'committed' })).id;
      return committed;
    });
    expect(await changes.next((c) => c.id === committed)).toMatchObject({ op: 'insert' });
    await pending;
    await changes.unsubscribe();
  });

  it('keeps delivering after the listening connection is killed', async () => {
    const changes = await recordChanges(storage);
    const org = await newOrg(storage);
    const admin = postgres(url, { max: 1 });
    const killed = await admin<{ pid: number }[]>`
      select pg_terminate_backend(pid) as ok, pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`;
    expect(killed.length).toBeGreaterThan(0);
    // postgres.js reconnects and re-LISTENs; writes keep flowing once it is back.
    const deadline = Date.now() + 10_000;
    let delivered = false;
    while (!delivered && Date.now() < deadline) {
      const projectId = await newProject(org, `R${Math.floor(Math.random() * 1e6)}`);
      delivered = await changes
        .next((c) => c.id === projectId, 500)
        .then(
          () => true,
          () => false,
        );
    }
    await admin.end();
    expect(delivered).toBe(true);
    await changes.unsubscribe();
  });
});
