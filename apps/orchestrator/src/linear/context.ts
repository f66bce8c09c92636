/** What the Linear worker needs, and per-org gateways that pick up refreshed tokens. */
import type { LinearStore, OrgId, Storage } from '@omakase/domain';
import {
  createLinearGateway,
  credentialsFor,
  type LinearGateway,
  type OAuthApp,
  type RetryPolicy,
  type SecretBox,
} from '@omakase/linear';
import type { Logger } from 'pino';

export const LINEAR_WORK = {
  /** subject: `<orgId>/<linear issue id>` — apply its inbox deliveries in order. */
  inbox: 'linear.inbox',
  /** subject: `<orgId>/<linear issue id>` — send its outbox updates in order. */
  outbox: 'linear.outbox',
  /** subject: `<orgId>/<featureId>` — reflect the feature's progress to its Linear issue. */
  feature: 'linear.feature',
} as const;

/** Linear outages last: its items are tried for about a quarter of an hour before they are dead letters. */
export const LINEAR_WORK_MAX_ATTEMPTS = 20;

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
