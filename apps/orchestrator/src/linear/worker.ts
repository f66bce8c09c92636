/** The orchestrator's Linear work: inbox, outbox and feature reflection, plus backfill. */
import type { FeatureId, LinearConnection, OrgId } from '@omakase/domain';
import type { LinearWorkKind, TypedWorkItem } from '@omakase/engine';
import { Gateways, LINEAR_WORK, type LinearDeps, splitSubject } from './context';
import { Inbound } from './inbound';
import { Outbound } from './outbound';
import { ProjectGraphs } from './project-graphs';

export class LinearWorker {
  readonly gateways: Gateways;
  readonly inbound: Inbound;
  readonly outbound: Outbound;

  constructor(readonly deps: LinearDeps) {
    this.gateways = new Gateways(deps);
    this.inbound = new Inbound(deps, this.gateways);
    this.outbound = new Outbound(deps, this.gateways);
  }

  async handle(item: TypedWorkItem<LinearWorkKind>): Promise<void> {
    const { orgId, id } = splitSubject(item.subjectId);
    const handlers: Record<LinearWorkKind, () => Promise<void>> = {
      [LINEAR_WORK.inbox]: () => this.inbound.drain(orgId, id),
      [LINEAR_WORK.outbox]: () => this.outbound.drain(orgId, id),
      [LINEAR_WORK.feature]: () => this.outbound.reflect(orgId, id as FeatureId),
    };
    await handlers[item.kind]();
  }

  /**
   * Nothing to subscribe to: the database enqueues `linear.feature` work in the same transaction
   * as each change of a linked feature or its runs (migration 0005_linear_reflection_trigger),
   * so updates made while no orchestrator listens still reach Linear.
   */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /**
   * Imports every issue of the configured teams, page by page (250 per request). Linear in the
   * number of issues: each project is listed once and its dependency graph kept current in memory.
   */
  async backfill(orgId: OrgId): Promise<{ issues: number; requests: number }> {
    const connection = (await this.deps.linear.connections.get(orgId)) as LinearConnection;
    const gateway = this.gateways.for(orgId);
    const graphs = new ProjectGraphs(this.deps.storage.forOrg(orgId));
    const before = gateway.stats.requests;
    let after: string | null = null;
    let issues = 0;
    do {
      const page = await gateway.listIssues({ teamIds: connection.settings.teamIds, after, first: 250 });
      for (const issue of page.issues) {
        await this.inbound.upsert(connection, issue, { start: false, graphs });
        issues++;
      }
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);
    return { issues, requests: gateway.stats.requests - before };
  }
}
