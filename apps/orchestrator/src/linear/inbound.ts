/** Linear → features: applies inbox deliveries of one issue in order. */
import type {
  Feature,
  FeatureId,
  InboxDelivery,
  LinearConnection,
  OrgId,
  ProjectId,
  TenantStore,
} from '@omakase/domain';
import { validateDependencies } from '@omakase/domain';
import { answerFeature, removeFeatureSource, startFeature, stopFeature } from '@omakase/engine';
import { featureFieldsOf, isForAgents, type LinearIssue } from '@omakase/linear';
import { type Gateways, LINEAR_WORK, type LinearDeps } from './context';
import { ProjectGraphs } from './project-graphs';

type Outcome = 'applied' | 'echo' | 'stale' | 'ignored' | 'not_for_agents' | 'removed' | 'stopped';

export class Inbound {
  constructor(
    private readonly deps: LinearDeps,
    private readonly gateways: Gateways,
  ) {}

  async drain(orgId: OrgId, issueId: string): Promise<void> {
    const connection = await this.deps.linear.connections.get(orgId);
    for (const delivery of await this.deps.linear.inbox.pending(orgId, issueId)) {
      const outcome = connection ? await this.apply(connection, delivery) : 'ignored';
      await this.deps.linear.inbox.markProcessed(delivery.deliveryId, outcome);
    }
  }

  private async apply(connection: LinearConnection, delivery: InboxDelivery): Promise<Outcome> {
    const { payload, type, action } = delivery;
    const actorId = (payload.actor as { id?: string } | undefined)?.id;
    // Our own writes come back as webhooks: they must never cause work.
    if (type !== 'AgentSessionEvent' && actorId && actorId === connection.actorId) return 'echo';
    const store = this.deps.storage.forOrg(connection.orgId);
    const data = (payload.data ?? {}) as {
      id?: string;
      updatedAt?: string;
      body?: string;
      relatedIssueId?: string;
    };
    if (type === 'Issue') {
      const link = await store.linearLinks.get(delivery.issueId);
      if (link && data.updatedAt && new Date(data.updatedAt) <= link.remoteUpdatedAt) return 'stale';
      if (action === 'remove') return this.remove(store, delivery.issueId);
      return this.sync(connection, delivery.issueId, {});
    }
    if (type === 'IssueRelation') {
      await this.sync(connection, delivery.issueId, { onlyLinked: true });
      if (data.relatedIssueId) await this.sync(connection, data.relatedIssueId, { onlyLinked: true });
      return 'applied';
    }
    if (type === 'Comment') return this.answer(store, delivery.issueId, data.body ?? '');
    if (type === 'AgentSessionEvent') return this.session(connection, delivery);
    return 'ignored';
  }

  private async remove(store: TenantStore, issueId: string): Promise<Outcome> {
    await store.transaction(async (tx) => {
      const link = await tx.linearLinks.get(issueId);
      if (link?.featureId) {
        const removed = await removeFeatureSource(tx, link.featureId);
        // A feature deleted here first has nothing left to unlink.
        if (!removed.ok && removed.error.code !== 'not_found') throw new Error(removed.error.message);
      }
      await tx.linearLinks.delete(issueId);
    });
    return 'removed';
  }

  private async answer(store: TenantStore, issueId: string, body: string): Promise<Outcome> {
    const link = await store.linearLinks.get(issueId);
    const feature = link?.featureId ? await store.features.get(link.featureId) : null;
    if (feature?.status !== 'needs_input' || !body) return 'ignored';
    await answerFeature(store, feature.id, body);
    return 'applied';
  }

  private async session(connection: LinearConnection, delivery: InboxDelivery): Promise<Outcome> {
    const session = delivery.payload.agentSession as { id: string };
    const activity = delivery.payload.agentActivity as
      | { signal?: string | null; content?: { body?: string } }
      | undefined;
    const { orgId } = connection;
    const store = this.deps.storage.forOrg(orgId);
    if (delivery.action === 'created') {
      await this.deps.linear.outbox.add(
        orgId,
        delivery.issueId,
        [
          {
            kind: 'activity',
            payload: {
              sessionId: session.id,
              content: { type: 'thought', body: 'Omakase picked this up: planning the work.' },
            },
          },
        ],
        { kind: LINEAR_WORK.outbox },
      );
      return this.sync(connection, delivery.issueId, { delegated: true, sessionId: session.id });
    }
    const link = await store.linearLinks.get(delivery.issueId);
    if (!link?.featureId) return 'ignored';
    if (activity?.signal === 'stop') {
      await stopFeature(store, link.featureId);
      await this.deps.linear.outbox.add(
        orgId,
        delivery.issueId,
        [
          {
            kind: 'activity',
            payload: { sessionId: session.id, content: { type: 'response', body: 'Stopped as asked.' } },
          },
        ],
        { kind: LINEAR_WORK.outbox },
      );
      return 'stopped';
    }
    return this.answer(store, delivery.issueId, activity?.content?.body ?? '');
  }

  /** Fetches the issue (the source of truth, so late deliveries cannot roll it back) and mirrors it. */
  async sync(
    connection: LinearConnection,
    issueId: string,
    opts: { delegated?: boolean; sessionId?: string; onlyLinked?: boolean },
  ): Promise<Outcome> {
    const issue = await this.gateways.for(connection.orgId).getIssue(issueId);
    if (!issue) return 'ignored';
    return this.upsert(connection, issue, opts);
  }

  async upsert(
    connection: LinearConnection,
    issue: LinearIssue,
    opts: {
      delegated?: boolean;
      sessionId?: string;
      onlyLinked?: boolean;
      start?: boolean;
      /** Shared across a batch (backfill); otherwise projects are read when relations need it. */
      graphs?: ProjectGraphs;
    },
  ): Promise<Outcome> {
    const { orgId, settings } = connection;
    const store = this.deps.storage.forOrg(orgId);
    const link = await store.linearLinks.get(issue.id);
    const wanted = opts.delegated || isForAgents(issue, settings, connection.actorId);
    if (!link?.featureId && (!wanted || opts.onlyLinked)) return 'not_for_agents';
    const projectId = settings.projectByTeam[issue.teamId] ?? settings.defaultProjectId;
    if (!projectId) return 'ignored';
    const graphs = opts.graphs ?? new ProjectGraphs(store);
    const fields = featureFieldsOf(issue, settings);
    const description =
      fields.estimate === null
        ? fields.description
        : `${fields.description}\n\n_Estimate: ${fields.estimate} points (Linear)_`;
    const base = {
      title: fields.title,
      description,
      acceptanceCriteria: fields.acceptanceCriteria,
      priority: fields.priority,
      category: fields.category,
      linearIssueId: issue.id,
      linearUrl: issue.url,
    };
    const existing = link?.featureId ? await store.features.get(link.featureId) : null;
    const dependsOn = await this.checkedBlockers(connection, issue, projectId, existing, graphs);
    // The feature, its link and its start commit together: a crash in between cannot leave a
    // feature without its link, which a redelivery would create a second time.
    await store.transaction(async (tx) => {
      // One write: a new issue is created whole (nothing depends on it yet, so no cycle can close).
      const feature = existing
        ? ((await tx.features.update(existing.id, { ...base, dependsOn })) ?? existing)
        : await tx.features.create(projectId, { ...base, dependsOn });
      graphs.record(feature);
      await tx.linearLinks.upsert({
        issueId: issue.id,
        identifier: issue.identifier,
        featureId: feature.id,
        remoteUpdatedAt: issue.updatedAt,
        agentSessionId: opts.sessionId ?? link?.agentSessionId ?? null,
      });
      await this.addAsBlocker(tx, feature.id, issue.blocks, graphs);
      if (!link?.featureId && opts.start !== false && feature.status === 'pending') {
        await startFeature(tx, feature.id, { orgMaxConcurrentAgents: this.deps.orgMaxConcurrentAgents });
      }
    });
    return 'applied';
  }

  /**
   * The issue's "blocked by" relations as dependencies, validated against the project (read only
   * when there are any). Unusable ones keep the current dependencies and are reported as a comment.
   */
  private async checkedBlockers(
    connection: LinearConnection,
    issue: LinearIssue,
    projectId: ProjectId,
    existing: Feature | null,
    graphs: ProjectGraphs,
  ): Promise<FeatureId[]> {
    const blockers = await this.linkedFeatures(this.deps.storage.forOrg(connection.orgId), issue.blockedBy);
    if (blockers.length === 0) return [];
    const checked = validateDependencies(
      { id: existing?.id ?? null, projectId, dependsOn: blockers },
      await graphs.for(projectId),
    );
    if (checked.ok) return blockers;
    await this.deps.linear.outbox.add(
      connection.orgId,
      issue.id,
      [
        {
          kind: 'comment',
          payload: { body: `Omakase cannot use these "blocked by" relations: ${checked.error.message}` },
        },
      ],
      { kind: LINEAR_WORK.outbox },
    );
    return existing?.dependsOn ?? [];
  }

  private async linkedFeatures(store: TenantStore, issueIds: string[]): Promise<FeatureId[]> {
    const ids: FeatureId[] = [];
    for (const id of issueIds) {
      const link = await store.linearLinks.get(id);
      if (link?.featureId) ids.push(link.featureId);
    }
    return ids;
  }

  /** Issues this one blocks may have been imported first: give them their new dependency. */
  private async addAsBlocker(
    store: TenantStore,
    featureId: FeatureId,
    blocks: string[],
    graphs: ProjectGraphs,
  ) {
    for (const blockedId of await this.linkedFeatures(store, blocks)) {
      const blocked = await store.features.get(blockedId);
      if (!blocked || blocked.dependsOn.includes(featureId)) continue;
      const dependsOn = [...blocked.dependsOn, featureId];
      const subject = { id: blocked.id, projectId: blocked.projectId, dependsOn };
      if (validateDependencies(subject, await graphs.for(blocked.projectId)).ok) {
        const updated = await store.features.update(blocked.id, { dependsOn });
        if (updated) graphs.record(updated);
      }
    }
  }
}
