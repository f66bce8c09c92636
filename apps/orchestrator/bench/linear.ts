/**
 * Linear sync figures on real Postgres + the fake Linear + the real webhook receiver:
 * webhook → feature visible, webhook → first agent started (null driver: no compute, the
 * workspace clone is included), with a per-phase split of where the time goes, and a
 * 1,000-issue backfill (time and requests).
 */
import type { FeatureId } from '@omakase/domain';
import { closeTestDatabases } from '../../../packages/db/src/testing';
import { startLinearHarness } from '../test/linear/harness';
import { percentile } from './support';

const p = (values: number[], q: number) =>
  values.length
    ? percentile(
        [...values].sort((a, b) => a - b),
        q,
      )
    : Number.NaN;

export async function benchLinear(opts: { issues?: number; backfill?: number } = {}) {
  const count = opts.issues ?? 40;
  // Null runs never end: room for every issue's architect, so each sample is an agent start.
  const h = await startLinearHarness({ orgMaxConcurrentAgents: count + 10 });
  try {
    const sent = new Map<string, number>();
    const visibleAt = new Map<string, number>();
    const unsubscribe = await h.storage.changes.subscribe((change) => {
      if (change.entity !== 'feature' || change.op !== 'insert') return;
      const at = performance.now();
      void h.storage
        .forOrg(change.orgId)
        .features.get(change.id as FeatureId)
        .then((f) => {
          if (f?.linearIssueId && sent.has(f.linearIssueId)) visibleAt.set(f.linearIssueId, at);
        });
    });
    // Where the time goes: when the inbox drain for an issue started (queue wait before it).
    const drainStarted = new Map<string, number>();
    const drain = h.worker.inbound.drain.bind(h.worker.inbound);
    h.worker.inbound.drain = (orgId, issueId) => {
      if (!drainStarted.has(issueId)) drainStarted.set(issueId, performance.now());
      return drain(orgId, issueId);
    };
    const received = new Map<string, number>();
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
      received.set(issue.id, performance.now());
      // One at a time: latency of an idle system, not of a queue of 40 — and the agent started
      // too, so a launch (workspace clone) never overlaps the next webhook.
      const deadline = Date.now() + 10_000;
      while (!h.started.some((s) => issueOf.get(s.featureId) === issue.id) && Date.now() < deadline) {
        const link = await h.storage.forOrg(h.org.id).linearLinks.get(issue.id);
        if (link?.featureId) issueOf.set(link.featureId, issue.id);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    await unsubscribe();
    const since = (at: Map<string, number>, from: Map<string, number>) =>
      [...sent.keys()].filter((id) => at.has(id) && from.has(id)).map((id) => at.get(id)! - from.get(id)!);
    const startedAt = new Map(h.started.map((s) => [issueOf.get(s.featureId) ?? '', s.at]));
    const visible = since(visibleAt, sent);
    const started = since(startedAt, sent);

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
      visibleP50: p(visible, 50),
      visibleP95: p(visible, 95),
      startedP50: p(started, 50),
      startedP95: p(started, 95),
      startedCount: started.length,
      samples: visible.length,
      phasesP50: {
        webhookAnswered: p(since(received, sent), 50),
        drainStarted: p(since(drainStarted, sent), 50),
        toFeature: p(since(visibleAt, drainStarted), 50),
        toAgent: p(since(startedAt, visibleAt), 50),
      },
      backfillIssues: result.issues,
      backfillRequests: result.requests,
      backfillMs,
    };
  } finally {
    await h.close();
    await closeTestDatabases();
  }
}
