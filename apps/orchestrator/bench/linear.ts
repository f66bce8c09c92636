/**
 * Linear sync figures on real Postgres + the fake Linear + the real webhook receiver:
 * webhook → feature visible, webhook → first agent started (null driver: no compute, the
 * workspace clone is included), and a 1,000-issue backfill (time and requests).
 */
import type { FeatureId } from '@omakase/domain';
import { closeTestDatabases } from '../../../packages/db/src/testing';
import { startLinearHarness } from '../test/linear/harness';
import { percentile } from './support';

export async function benchLinear(opts: { issues?: number; backfill?: number } = {}) {
  const h = await startLinearHarness();
  try {
    const sent = new Map<string, number>();
    const visible: number[] = [];
    const unsubscribe = await h.storage.changes.subscribe((change) => {
      if (change.entity !== 'feature' || change.op !== 'insert') return;
      void h.storage
        .forOrg(change.orgId)
        .features.get(change.id as FeatureId)
        .then((f) => {
          const t0 = f?.linearIssueId ? sent.get(f.linearIssueId) : undefined;
          if (t0 !== undefined) visible.push(performance.now() - t0);
        });
    });
    const count = opts.issues ?? 40;
    const issueOf = new Map<string, string>();
    for (let i = 0; i < count; i++) {
      const issue = h.fake.ws.newIssue({
        teamId: h.team.id,
        title: `Bench ${i}`,
        labelIds: [h.fake.ws.label('agents').id],
      });
      sent.set(issue.id, performance.now());
      h.fake.emit('Issue', 'create', h.fake.ws.issueData(issue), h.fake.ws.human.id);
      await h.fake.idle();
      // One at a time: latency of an idle system, not of a queue of 40.
      const deadline = Date.now() + 10_000;
      while (visible.length <= i && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      const link = await h.linear.links.get(h.org.id, issue.id);
      if (link?.featureId) issueOf.set(link.featureId, issue.id);
    }
    const agentDeadline = Date.now() + 20_000;
    while (h.started.length < count && Date.now() < agentDeadline) await new Promise((r) => setTimeout(r, 5));
    const started = h.started
      .map((s) => s.at - (sent.get(issueOf.get(s.featureId) ?? '') ?? Number.NaN))
      .filter((n) => !Number.isNaN(n))
      .sort((a, b) => a - b);
    await unsubscribe();
    visible.sort((a, b) => a - b);

    const backfillTeam = h.fake.ws.addTeam('BULK');
    const n = opts.backfill ?? 1000;
    for (let i = 0; i < n; i++) h.fake.ws.newIssue({ teamId: backfillTeam.id, title: `Bulk ${i}` });
    await h.linear.connections.updateSettings(h.org.id, {
      teamIds: [backfillTeam.id],
      triggerLabel: null,
      triggerStateName: 'Todo',
    });
    const t0 = performance.now();
    const result = await h.worker.backfill(h.org.id);
    const backfillMs = performance.now() - t0;
    return {
      visibleP50: percentile(visible, 50),
      visibleP95: percentile(visible, 95),
      startedP95: started.length ? percentile(started, 95) : Number.NaN,
      startedCount: started.length,
      samples: visible.length,
      backfillIssues: result.issues,
      backfillRequests: result.requests,
      backfillMs,
    };
  } finally {
    await h.close();
    await closeTestDatabases();
  }
}
