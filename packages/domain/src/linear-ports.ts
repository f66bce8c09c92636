/**
 * Storage port of the Linear integration. Secrets cross it only sealed (the adapter seals and
 * opens them); `@omakase/db` implements it (`createLinearStore`).
 */
import type { FeatureId, FeatureStatus, OrgId, ProjectId } from './entities';
import type { NewAuditEntry } from './security-ports';

export type LinearConnectionId = `lin_${string}`;
export type LinearMode = 'oauth' | 'api_key';

/** Our pipeline stages that move the Linear issue, and the workflow state names they map to. */
export interface LinearStateMap {
  started: string;
  inReview: string;
  done: string;
}

export interface LinearSettings {
  /** Linear team ids whose issues we import. */
  teamIds: string[];
  /** Our project each team's issues go to (team id → project id); `defaultProjectId` otherwise. */
  projectByTeam: Record<string, ProjectId>;
  defaultProjectId: ProjectId | null;
  /** An issue is handed to the agents when it carries this label, or enters this state. */
  triggerLabel: string | null;
  triggerStateName: string | null;
  stateMap: LinearStateMap;
}

export interface LinearConnection {
  id: LinearConnectionId;
  orgId: OrgId;
  mode: LinearMode;
  linearOrgId: string;
  actorId: string | null;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  webhookSecretSealed: string | null;
  expiresAt: Date | null;
  settings: LinearSettings;
  lastWebhookAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export type NewLinearConnection = Pick<
  LinearConnection,
  | 'mode'
  | 'linearOrgId'
  | 'actorId'
  | 'accessTokenSealed'
  | 'refreshTokenSealed'
  | 'webhookSecretSealed'
  | 'expiresAt'
> & { settings?: Partial<LinearSettings> };

export interface InboxDelivery {
  deliveryId: string;
  orgId: OrgId;
  issueId: string;
  seq: number;
  type: string;
  action: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

export interface OutboxItem {
  id: string;
  orgId: OrgId;
  issueId: string;
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface LinearIssueLink {
  orgId: OrgId;
  issueId: string;
  identifier: string;
  featureId: FeatureId | null;
  remoteUpdatedAt: Date;
  agentSessionId: string | null;
  pushedStatus: FeatureStatus | null;
  pushedRuns: string[];
}

/**
 * One org's issue ↔ feature links. Part of the tenant store, so a feature and its link commit
 * together (a crash between them cannot leave a feature that a redelivery would create again).
 */
export interface LinearIssueLinks {
  get(issueId: string): Promise<LinearIssueLink | null>;
  byFeature(featureId: FeatureId): Promise<LinearIssueLink | null>;
  list(): Promise<LinearIssueLink[]>;
  upsert(
    link: Omit<LinearIssueLink, 'orgId' | 'pushedStatus' | 'pushedRuns'> &
      Partial<Pick<LinearIssueLink, 'pushedStatus' | 'pushedRuns'>>,
  ): Promise<LinearIssueLink>;
  delete(issueId: string): Promise<void>;
}

export interface LinearStore {
  connections: {
    get(orgId: OrgId): Promise<LinearConnection | null>;
    findByLinearOrg(linearOrgId: string): Promise<LinearConnection[]>;
    /** `audit` is written in the same transaction (connect). */
    upsert(orgId: OrgId, input: NewLinearConnection, audit?: NewAuditEntry): Promise<LinearConnection>;
    updateSettings(orgId: OrgId, settings: Partial<LinearSettings>): Promise<LinearConnection | null>;
    /** `audit` is written in the same transaction, only when a connection was deleted. */
    delete(orgId: OrgId, audit?: NewAuditEntry): Promise<boolean>;
    recordWebhook(orgId: OrgId, at: Date): Promise<void>;
    recordError(orgId: OrgId, message: string | null): Promise<void>;
    /**
     * Runs `fn` holding a row lock on the org's connection (`SELECT … FOR UPDATE`): token refresh
     * happens in one process at a time; others wait and then see the fresh token.
     */
    withLock<T>(
      orgId: OrgId,
      fn: (
        current: LinearConnection,
        save: (patch: {
          accessTokenSealed: string;
          refreshTokenSealed: string | null;
          expiresAt: Date | null;
        }) => Promise<void>,
      ) => Promise<T>,
    ): Promise<T>;
  };
  inbox: {
    /** Records a delivery and enqueues its processing; false when the delivery id was seen before. */
    record(delivery: Omit<InboxDelivery, 'seq' | 'receivedAt'>, work: { kind: string }): Promise<boolean>;
    pending(orgId: OrgId, issueId: string, limit?: number): Promise<InboxDelivery[]>;
    markProcessed(deliveryId: string, outcome: string): Promise<void>;
    count(orgId: OrgId): Promise<number>;
  };
  outbox: {
    /**
     * Appends updates for an issue and enqueues their sending (one work item per issue). With
     * `pushed`, records in the same transaction what the link has now been told (no resend after a crash).
     */
    add(
      orgId: OrgId,
      issueId: string,
      items: { kind: string; payload: Record<string, unknown> }[],
      work: { kind: string },
      pushed?: { status: FeatureStatus; runs: string[] },
    ): Promise<void>;
    pending(orgId: OrgId, issueId: string, limit?: number): Promise<OutboxItem[]>;
    markSent(id: string): Promise<void>;
    markFailed(id: string, error: string): Promise<void>;
  };
  close(): Promise<void>;
}
