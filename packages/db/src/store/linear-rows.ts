/** Row ↔ domain mapping for the Linear integration tables. */
import type {
  FeatureId,
  FeatureStatus,
  LinearConnection,
  LinearConnectionId,
  LinearIssueLink,
  LinearMode,
  LinearSettings,
  OrgId,
} from '@omakase/domain';
import type { linearConnections, linearIssueLinks } from '../schema';

export const DEFAULT_LINEAR_SETTINGS: LinearSettings = {
  teamIds: [],
  projectByTeam: {},
  defaultProjectId: null,
  triggerLabel: 'agents',
  triggerStateName: null,
  stateMap: { started: 'In Progress', inReview: 'In Review', done: 'Done' },
};

export function mergeSettings(stored: unknown, patch: Partial<LinearSettings> = {}): LinearSettings {
  const base = { ...DEFAULT_LINEAR_SETTINGS, ...(stored as Partial<LinearSettings>) };
  return { ...base, ...patch, stateMap: { ...base.stateMap, ...patch.stateMap } };
}

export const toConnection = (row: typeof linearConnections.$inferSelect): LinearConnection => ({
  id: row.id as LinearConnectionId,
  orgId: row.orgId as OrgId,
  mode: row.mode as LinearMode,
  linearOrgId: row.linearOrgId,
  actorId: row.actorId,
  accessTokenSealed: row.accessTokenSealed,
  refreshTokenSealed: row.refreshTokenSealed,
  webhookSecretSealed: row.webhookSecretSealed,
  expiresAt: row.expiresAt,
  settings: mergeSettings(row.settings),
  lastWebhookAt: row.lastWebhookAt,
  lastError: row.lastError,
  lastErrorAt: row.lastErrorAt,
});

export const toLink = (row: typeof linearIssueLinks.$inferSelect): LinearIssueLink => ({
  orgId: row.orgId as OrgId,
  issueId: row.issueId,
  identifier: row.identifier,
  featureId: row.featureId as FeatureId | null,
  remoteUpdatedAt: row.remoteUpdatedAt,
  agentSessionId: row.agentSessionId,
  pushedStatus: row.pushedStatus as FeatureStatus | null,
  pushedRuns: row.pushedRuns as string[],
});

/** Work subjects are global per kind: scope them by org so two orgs never share an item. */
export const issueSubject = (orgId: OrgId, issueId: string) => `${orgId}/${issueId}`;
export function parseIssueSubject(subject: string): { orgId: OrgId; issueId: string } {
  const slash = subject.indexOf('/');
  return { orgId: subject.slice(0, slash) as OrgId, issueId: subject.slice(slash + 1) };
}
