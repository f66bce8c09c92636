/** Features → Linear: turns pipeline progress into outbox items, and sends them in order. */
import {
  ACTIVE_FEATURE_STATUSES,
  type AgentRun,
  type Feature,
  type FeatureId,
  type FeatureStatus,
  type LinearConnection,
  type OrgId,
} from '@omakase/domain';
import type { AgentActivityContent } from '@omakase/linear';
import { type Gateways, LINEAR_WORK, type LinearDeps } from './context';

const ACTIVE: readonly FeatureStatus[] = ACTIVE_FEATURE_STATUSES;
const TITLES: Record<string, string> = {
  architect: "Architect's plan",
  reviewer: 'Review summary',
  tester: 'Test report',
};

function render(run: AgentRun): string {
  const out = run.output ?? {};
  const text = [out.plan, out.summary, out.report, out.comments].find((v) => typeof v === 'string');
  return `**${TITLES[run.role]}**\n\n${text ?? `\`\`\`json\n${JSON.stringify(out, null, 2)}\n\`\`\``}`;
}

/** The workflow state name the feature's progress calls for, if any. */
function targetState(feature: Feature, connection: LinearConnection): string | null {
  const map = connection.settings.stateMap;
  if (feature.status === 'done') return map.done;
  if (feature.pullRequestUrl) return map.inReview;
  return ACTIVE.includes(feature.status) ? map.started : null;
}

export class Outbound {
  constructor(
    private readonly deps: LinearDeps,
    private readonly gateways: Gateways,
  ) {}

  /** Diffs the feature against what Linear was last told; records the difference durably. */
  async reflect(orgId: OrgId, featureId: FeatureId): Promise<void> {
    const store = this.deps.storage.forOrg(orgId);
    const link = await store.linearLinks.byFeature(featureId);
    const connection = link && (await this.deps.linear.connections.get(orgId));
    if (!link || !connection) return;
    const feature = await store.features.get(featureId);
    if (!feature) return;
    const items: { kind: string; payload: Record<string, unknown> }[] = [];
    const pushed = new Set(link.pushedRuns);
    const activity = (content: AgentActivityContent) =>
      link.agentSessionId &&
      items.push({ kind: 'activity', payload: { sessionId: link.agentSessionId, content } });

    const runs = await store.runs.listByFeature(featureId);
    for (const run of runs) {
      // A run may start and finish between two reflections: still announce it, before its result.
      if (run.status !== 'queued' && !pushed.has(`start:${run.id}`)) {
        pushed.add(`start:${run.id}`);
        const action = run.role === 'setup' ? 'Setting up the environment' : `Running the ${run.role}`;
        activity({ type: 'action', action, parameter: feature.key });
      }
      if (run.status === 'succeeded' && TITLES[run.role] && !pushed.has(run.id)) {
        pushed.add(run.id);
        items.push({ kind: 'comment', payload: { body: render(run) } });
        activity({ type: 'thought', body: `${TITLES[run.role]} is on the issue.` });
      }
    }
    const link_ = feature.pullRequestUrl ?? feature.branchName;
    if (link_ && !pushed.has(`attach:${link_}`)) {
      pushed.add(`attach:${link_}`);
      const title = feature.pullRequestUrl ? 'Pull request' : `Branch ${feature.branchName}`;
      const url =
        feature.pullRequestUrl ??
        `${(await store.projects.get(feature.projectId))?.repositoryUrl}#${feature.branchName}`;
      items.push({ kind: 'attachment', payload: { url, title } });
    }
    const state = targetState(feature, connection);
    if (state && !pushed.has(`state:${state}`)) {
      pushed.add(`state:${state}`);
      items.push({ kind: 'state', payload: { name: state } });
    }
    if (feature.status !== link.pushedStatus) {
      if (feature.status === 'done')
        activity({ type: 'response', body: `Done: ${feature.branchName ?? 'branch pushed'}.` });
      if (feature.status === 'failed')
        activity({ type: 'error', body: 'The pipeline failed; retry from Omakase.' });
    }
    await this.deps.linear.outbox.add(
      orgId,
      link.issueId,
      items,
      { kind: LINEAR_WORK.outbox },
      { status: feature.status, runs: [...pushed] },
    );
  }

  /** Sends pending items in order; a failure throws, so the worker retries later from that item. */
  async drain(orgId: OrgId, issueId: string): Promise<void> {
    const gateway = this.gateways.for(orgId);
    for (const item of await this.deps.linear.outbox.pending(orgId, issueId)) {
      try {
        await this.send(gateway, orgId, issueId, item.kind, item.payload);
        await this.deps.linear.outbox.markSent(item.id);
      } catch (error) {
        await this.deps.linear.outbox.markFailed(item.id, (error as Error).message);
        await this.deps.linear.connections.recordError(orgId, (error as Error).message);
        throw error;
      }
    }
  }

  private async send(
    gateway: ReturnType<Gateways['for']>,
    _orgId: OrgId,
    issueId: string,
    kind: string,
    payload: Record<string, unknown>,
  ) {
    if (kind === 'comment') return void (await gateway.comment(issueId, String(payload.body)));
    if (kind === 'attachment') return gateway.linkUrl(issueId, String(payload.url), String(payload.title));
    if (kind === 'activity') {
      return gateway.agentActivity(String(payload.sessionId), payload.content as AgentActivityContent);
    }
    if (kind === 'state') {
      const issue = await gateway.getIssue(issueId);
      if (!issue) return;
      const state = (await gateway.teamStates(issue.teamId)).find((s) => s.name === payload.name);
      if (state && state.id !== issue.state.id) await gateway.setIssueState(issueId, state.id);
    }
  }
}
