/** What the Linear worker needs, and per-org gateways that pick up refreshed tokens. */
import type { LinearStore, OrgId, Storage } from '@omakase/domain';
import type { LinearWorkKind } from '@omakase/engine';
import {
  createLinearGateway,
  credentialsFor,
  type LinearGateway,
  type OAuthApp,
  type RetryPolicy,
  type SecretBox,
} from '@omakase/linear';
import type { Logger } from 'pino';

/** The catalog's Linear kinds (declared with their subjects and attempts in the engine's `WORK_CATALOG`). */
export const LINEAR_WORK = {
  inbox: 'linear.inbox',
  outbox: 'linear.outbox',
  feature: 'linear.feature',
} as const satisfies Record<string, LinearWorkKind>;

export interface LinearDeps {
  storage: Storage;
  linear: LinearStore;
  box: SecretBox;
  apiUrl: string;
  oauth?: OAuthApp;
  retry?: RetryPolicy;
  orgMaxConcurrentAgents: number;
  logger: Logger;
}

export class Gateways {
  private readonly byOrg = new Map<OrgId, LinearGateway>();
  constructor(private readonly deps: LinearDeps) {}

  for(orgId: OrgId): LinearGateway {
    let gateway = this.byOrg.get(orgId);
    if (!gateway) {
      gateway = createLinearGateway({
        apiUrl: this.deps.apiUrl,
        retry: this.deps.retry,
        credentials: () =>
          credentialsFor({ store: this.deps.linear, box: this.deps.box, oauth: this.deps.oauth }, orgId),
        onRetry: (info) => this.deps.logger.warn({ orgId, ...info }, 'Linear asked us to back off'),
      });
      this.byOrg.set(orgId, gateway);
    }
    return gateway;
  }
}

export const splitSubject = (subject: string) => {
  const slash = subject.indexOf('/');
  return { orgId: subject.slice(0, slash) as OrgId, id: subject.slice(slash + 1) };
};
