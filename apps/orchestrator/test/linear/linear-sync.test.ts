import { randomBytes } from 'node:crypto';
import { createLinearStore } from '@omakase/db';
import type { Feature } from '@omakase/domain';
import { stopFeature } from '@omakase/engine';
import { credentialsFor, secretContext } from '@omakase/linear';
import {
  addBlocks,
  createIssue,
  delegateToApp,
  promptSession,
  removeIssue,
  updateIssue,
} from '@omakase/linear-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type LinearHarness, startLinearHarness } from './harness';

let h: LinearHarness;
beforeAll(async () => {
  h = await startLinearHarness();
});
afterAll(() => h?.close());

const featureOf = async (issueId: string): Promise<Feature | null> => {
  const link = await h.storage.forOrg(h.org.id).linearLinks.get(issueId);
  return link?.featureId ? h.storage.forOrg(h.org.id).features.get(link.featureId) : null;
};
const outcomeOf = async (deliveryId: string) => {
  const rows = await h.sql`select outcome from linear_inbox where delivery_id = ${deliveryId}`;
  return (rows[0]?.outcome as string | null) ?? null;
};
const issuePayload = (issue: Parameters<typeof h.fake.ws.issueData>[0], action = 'update') => ({
  type: 'Issue',
  action,
  actor: { id: h.fake.ws.human.id },
  data: h.fake.ws.issueData(issue),
  organizationId: h.fake.ws.organization.id,
});

describe('Linear connection', () => {
  it('installs with OAuth (actor=app) and keeps tokens sealed at rest', async () => {
    const connection = (await h.linear.connections.get(h.org.id))!;
    expect(connection.mode).toBe('oauth');
    expect(connection.accessTokenSealed).toMatch(/^v1\./);
    const { accessToken } = (await credentialsFor({ store: h.linear, box: h.box }, h.org.id)) as {
      accessToken: string;
    };
    expect(connection.accessTokenSealed).not.toContain(accessToken);
    expect(accessToken).toMatch(/^lin_oauth_/);
  });

  it('refreshes an expiring token once when two processes race', async () => {
    const orgId = h.org.id;
    const tokens = h.fake.issueTokens(h.fake.ws.appUser.id, 60);
    await h.linear.connections.withLock(orgId, async (_c, save) =>
      save({
        accessTokenSealed: await h.box.seal(tokens.access_token, secretContext(orgId, 'access')),
        refreshTokenSealed: await h.box.seal(tokens.refresh_token, secretContext(orgId, 'refresh')),
        expiresAt: new Date(Date.now() + 60_000),
      }),
    );
    const other = createLinearStore(h.db.url);
    const before = h.fake.oauth.refreshes;
    const [a, b] = await Promise.all([
      credentialsFor({ store: h.linear, box: h.box, oauth: h.oauth }, orgId),
      credentialsFor({ store: other, box: h.box, oauth: h.oauth }, orgId),
    ]);
    await other.close();
    expect(h.fake.oauth.refreshes - before).toBe(1);
    expect(a).toEqual(b);
    expect((a as { accessToken: string }).accessToken).not.toBe(tokens.access_token);
  });
});

describe('settings pickers', () => {
  it('lists the workspace teams, labels and a team workflow states through the gateway', async () => {
    h.fake.ws.label('agents');
    const gateway = h.worker.gateways.for(h.org.id);
    expect(await gateway.teams()).toContainEqual({ id: h.team.id, key: 'ENG', name: 'ENG' });
    expect((await gateway.labels()).map((l) => l.name)).toContain('agents');
    expect((await gateway.teamStates(h.team.id)).map((s) => s.name)).toEqual([
      'Backlog',
      'Todo',
      'In Progress',
      'In Review',
      'Done',
      'Canceled',
    ]);
  });
});

describe('Linear webhooks', () => {
  it('rejects a bad signature (401) and a stale timestamp, storing nothing', async () => {
    const issue = h.fake.ws.newIssue({ teamId: h.team.id, title: 'Forged' });
    const before = await h.linear.inbox.count(h.org.id);
    expect(await h.fake.deliver(issuePayload(issue), { secret: 'wrong-secret' })).toBe(401);
    expect(await h.fake.deliver(issuePayload(issue), { timestamp: Date.now() - 5 * 60_000 })).toBe(401);
    expect(await h.linear.inbox.count(h.org.id)).toBe(before);
  });

  it('records a duplicate (the same signed body) once, whatever its Linear-Delivery header', async () => {
    const issue = h.fake.ws.newIssue({ teamId: h.team.id, title: 'Twice' });
    const before = await h.linear.inbox.count(h.org.id);
    const timestamp = Date.now();
    const once = { timestamp, deliveryId: randomBytes(8).toString('hex') };
    const replay = { timestamp, deliveryId: randomBytes(8).toString('hex') };
    expect(await h.fake.deliver(issuePayload(issue), once)).toBe(200);
    expect(await h.fake.deliver(issuePayload(issue), replay)).toBe(200);
    expect(await h.linear.inbox.count(h.org.id)).toBe(before + 1);
  });
});

describe('tickets become features', () => {
  it('cannot duplicate a feature when the process dies between creating it and linking it', async () => {
    // The first link write for this issue fails, as a crash right after the feature's creation
    // would; the worker retries the delivery. (A sequence: its value survives the rollback.)
    await h.sql.unsafe(`
      create sequence test_link_crash;
      create function test_link_crash() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from features f where f.id = new.feature_id and f.title = 'Import me once')
           and nextval('test_link_crash') = 1 then
          raise exception 'simulated crash before the link';
        end if;
        return new;
      end $$;
      create trigger test_link_crash before insert on linear_issue_links
        for each row execute function test_link_crash();`);
    try {
      const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Import me once', labels: ['agents'] });
      await eventually(() => featureOf(issue.id), 'feature created on the retry');
      const [crash] = await h.sql`select last_value from test_link_crash`;
      expect(Number(crash!.last_value)).toBeGreaterThanOrEqual(1);
      const features =
        await h.sql`select id from features where org_id = ${h.org.id} and title = 'Import me once'`;
      expect(features).toHaveLength(1);
    } finally {
      await h.sql.unsafe(`drop trigger test_link_crash on linear_issue_links;
        drop function test_link_crash(); drop sequence test_link_crash;`);
    }
  });

  it('creates, updates and removes a feature from a labelled issue', async () => {
    const issue = createIssue(h.fake, {
      teamId: h.team.id,
      title: 'Add a wishlist',
      description: 'Save products.\n\n- [ ] Add to wishlist\n- [x] Duplicates ignored',
      priority: 2,
      estimate: 3,
      labels: ['agents', 'Frontend'],
    });
    const created = await eventually(() => featureOf(issue.id), 'feature created');
    expect(created).toMatchObject({
      title: 'Add a wishlist',
      acceptanceCriteria: ['Add to wishlist', 'Duplicates ignored'],
      priority: 2,
      category: 'frontend',
      linearUrl: h.fake.ws.url(issue),
    });
    expect(created.description).toContain('Estimate: 3 points');
    // Handed to the agents: the pipeline starts.
    await eventually(async () => (await featureOf(issue.id))?.status === 'setting_up', 'pipeline started');

    updateIssue(h.fake, issue, { title: 'Add a wishlist page' });
    await eventually(
      async () => (await featureOf(issue.id))?.title === 'Add a wishlist page',
      'title updated',
    );

    const featureId = created.id;
    removeIssue(h.fake, issue);
    const removed = await eventually(async () => {
      const f = await h.storage.forOrg(h.org.id).features.get(featureId);
      return f?.status === 'cancelled' && f.linearIssueId === null ? f : null;
    }, 'feature cancelled');
    expect(await h.storage.forOrg(h.org.id).linearLinks.get(issue.id)).toBeNull();
    expect(removed.linearUrl).toBe(h.fake.ws.url(issue));
  });

  it('keeps a done feature done when its issue is deleted, dropping only the link', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Show prices', labels: ['agents'] });
    const created = await eventually(() => featureOf(issue.id), 'feature created');
    const store = h.storage.forOrg(h.org.id);
    // The feature's pipeline ran to the end (stopped here, then marked done as a push would).
    // (Stopping loses a race with the pipeline's own next step now and then: asked again then.)
    await eventually(async () => (await stopFeature(store, created.id)).ok, 'feature stopped');
    await store.features.update(created.id, { status: 'done', branchName: 'omakase/show-prices' });

    removeIssue(h.fake, issue);
    await eventually(
      async () => (await h.storage.forOrg(h.org.id).linearLinks.get(issue.id)) === null,
      'link dropped',
    );
    expect(await store.features.get(created.id)).toMatchObject({
      status: 'done',
      linearIssueId: null,
      branchName: 'omakase/show-prices',
    });
  });

  it('ignores issues without the trigger label', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Not for agents' });
    await h.fake.idle();
    await eventually(
      async () => (await h.linear.inbox.pending(h.org.id, issue.id)).length === 0,
      'processed',
    );
    expect(await featureOf(issue.id)).toBeNull();
  });

  it('turns "blocks" relations into dependencies and reports a cycle as a comment', async () => {
    const a = createIssue(h.fake, { teamId: h.team.id, title: 'Blocker', labels: ['agents'] });
    const b = createIssue(h.fake, { teamId: h.team.id, title: 'Blocked', labels: ['agents'] });
    const [fa, fb] = [
      await eventually(() => featureOf(a.id), 'a'),
      await eventually(() => featureOf(b.id), 'b'),
    ];
    addBlocks(h.fake, a, b);
    await eventually(async () => (await featureOf(b.id))?.dependsOn.includes(fa.id), 'b depends on a');
    addBlocks(h.fake, b, a);
    await eventually(
      async () => h.fake.ws.comments.find((c) => c.issueId === a.id && c.body.includes('cycle')),
      'cycle comment on a',
    );
    expect((await featureOf(a.id))?.dependsOn).not.toContain(fb.id);
  });

  it('drops an out-of-order (older) update', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Version 1', labels: ['agents'] });
    await eventually(() => featureOf(issue.id), 'created');
    const old = issuePayload(issue);
    updateIssue(h.fake, issue, { title: 'Version 2' });
    await eventually(async () => (await featureOf(issue.id))?.title === 'Version 2', 'v2');
    const sent = await h.fake.deliverSigned(old);
    expect(sent.status).toBe(200);
    expect(await eventually(() => outcomeOf(`sha256:${sent.bodySha256}`), 'old processed')).toBe('stale');
    expect((await featureOf(issue.id))?.title).toBe('Version 2');
  });

  it('suppresses echoes of our own writes', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Echo', labels: ['agents'] });
    await eventually(() => featureOf(issue.id), 'created');
    const gateway = h.worker.gateways.for(h.org.id);
    await gateway.comment(issue.id, 'from Omakase');
    await h.fake.idle();
    const rows = await eventually(async () => {
      const r =
        await h.sql`select outcome from linear_inbox where issue_id = ${issue.id} and type = 'Comment'`;
      return r.length > 0 && r[0]!.outcome ? r : null;
    }, 'comment webhook processed');
    expect(rows[0]!.outcome).toBe('echo');
  });
});

describe('agent sessions', () => {
  it('answers a delegation with an activity within 10 s and honours stop', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Delegated work' });
    const t0 = Date.now();
    const session = delegateToApp(h.fake, issue);
    await eventually(
      async () => h.fake.ws.activities.find((a) => a.sessionId === session.id),
      'first activity',
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    await eventually(async () => (await featureOf(issue.id))?.status === 'setting_up', 'pipeline started');
    promptSession(h.fake, session.id, 'stop please', 'stop');
    await eventually(async () => (await featureOf(issue.id))?.status === 'cancelled', 'stopped');
    await eventually(
      async () =>
        h.fake.ws.activities.find((a) => a.sessionId === session.id && a.content.type === 'response'),
      'stop acknowledged',
    );
  });
});

describe('feature → Linear reflection', () => {
  const stateOf = (issueId: string) => h.fake.ws.states.get(h.fake.ws.issues.get(issueId)!.stateId)!.name;

  it('reaches Linear for changes made while no orchestrator was running', async () => {
    const issue = createIssue(h.fake, { teamId: h.team.id, title: 'Offline progress', labels: ['agents'] });
    const feature = await eventually(async () => {
      const f = await featureOf(issue.id);
      return f?.status === 'setting_up' ? f : null;
    }, 'pipeline started');
    await eventually(async () => stateOf(issue.id) === 'In Progress', 'In Progress in Linear');

    await h.stopOrchestrator();
    // The pipeline finishes while nothing listens for change notifications.
    const branchName = `omakase/${feature.key.toLowerCase()}-offline-progress`;
    await h.storage.forOrg(h.org.id).features.update(feature.id, { status: 'done', branchName });
    expect(
      await h.sql`select 1 from work_items
      where kind = 'linear.feature' and subject_id = ${`${h.org.id}/${feature.id}`} and completed_at is null`,
    ).toHaveLength(1);
    await h.startOrchestrator();

    await eventually(async () => stateOf(issue.id) === 'Done', 'Done in Linear');
    expect(h.fake.ws.attachments.filter((a) => a.issueId === issue.id)).toEqual([
      expect.objectContaining({ title: `Branch ${branchName}` }),
    ]);
    expect(h.fake.ws.stateChanges.filter((c) => c.issueId === issue.id).map((c) => c.state)).toEqual([
      'In Progress',
      'Done',
    ]);
  });
});
