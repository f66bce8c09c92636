/**
 * Storage port for organisation security: memberships management, invitations, the audit log
 * and encrypted secrets. Implemented by `@omakase/db` (`createSecurityStore`).
 */

import type { Member, MemberId, OrgId, Role } from './entities';
import { OmakaseError } from './errors';

export type InvitationId = `inv_${string}`;
export type AuditId = `aud_${string}`;

export interface Invitation {
  id: InvitationId;
  orgId: OrgId;
  email: string;
  role: Role;
  invitedBy: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export const AUDIT_ACTIONS = [
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.revoked',
  'secret.saved',
  'secret.deleted',
  'project.deleted',
  'run.started',
  'run.stopped',
  'auth0.sync_failed',
  'auth0.resynced',
  'integration.connected',
  'integration.disconnected',
  'work.retried',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: AuditId;
  orgId: OrgId;
  /** `user:<sub>` or `machine:<client id>`. */
  actor: string;
  action: AuditAction;
  /** What was acted on: a member id, secret name, project/feature id. */
  target: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

export type NewAuditEntry = Pick<AuditEntry, 'actor' | 'action' | 'target'> & {
  details?: Record<string, unknown>;
};

/** What the API may show about a secret: never its value. */
export interface SecretMetadata {
  name: string;
  last4: string | null;
  updatedBy: string;
  updatedAt: Date;
}

export interface StoredSecret extends SecretMetadata {
  ciphertext: string;
}

export interface StoredDataKey {
  wrappedKey: string;
  keyId: string;
}

export type MembershipErrorCode =
  | 'last_owner'
  | 'not_found'
  | 'already_member'
  | 'invitation_invalid'
  /** The invitation was sent to another email address than the accepting user's. */
  | 'invitation_email_mismatch';

export class MembershipError extends OmakaseError<MembershipErrorCode> {
  override readonly name = 'MembershipError';
  constructor(code: MembershipErrorCode, message: string) {
    super(code, message);
  }
}

/** One organisation's security data. Every mutation writes its audit entry in the same transaction. */
export interface SecurityStore {
  readonly orgId: OrgId;
  members: {
    list(): Promise<Member[]>;
    get(id: MemberId): Promise<Member | null>;
    getByUserId(userId: string): Promise<Member | null>;
    /** Throws MembershipError('last_owner') when the org would be left without an owner. */
    changeRole(id: MemberId, role: Role, audit: Omit<NewAuditEntry, 'action' | 'target'>): Promise<Member>;
    remove(id: MemberId, audit: Omit<NewAuditEntry, 'target'>): Promise<void>;
  };
  invitations: {
    list(): Promise<Invitation[]>;
    create(
      input: { email: string; role: Role; invitedBy: string; tokenHash: string; expiresAt: Date },
      audit: Omit<NewAuditEntry, 'action' | 'target'>,
    ): Promise<Invitation>;
    revoke(id: InvitationId, audit: Omit<NewAuditEntry, 'action' | 'target'>): Promise<void>;
  };
  audit: {
    record(entry: NewAuditEntry): Promise<AuditEntry>;
    /** Newest first; `before` pages on from the last id seen, `action` filters. */
    list(opts?: { limit?: number; action?: AuditAction; before?: AuditId }): Promise<AuditEntry[]>;
  };
  secrets: {
    list(): Promise<SecretMetadata[]>;
    get(name: string): Promise<StoredSecret | null>;
    put(
      input: { name: string; ciphertext: string; last4: string | null; updatedBy: string },
      audit: Omit<NewAuditEntry, 'action' | 'target'>,
    ): Promise<SecretMetadata>;
    delete(name: string, audit: Omit<NewAuditEntry, 'action' | 'target'>): Promise<boolean>;
    dataKey(): Promise<StoredDataKey | null>;
    /** Stores the org's data key unless one exists; returns the one that is stored. */
    ensureDataKey(candidate: StoredDataKey): Promise<StoredDataKey>;
  };
}

/** Across organisations: invitations are redeemed by a user who is not (yet) a member. */
export interface SecurityStorage {
  forOrg(orgId: OrgId): SecurityStore;
  /** Accepts a pending, unexpired invitation: adds the member and audits, in one transaction. */
  acceptInvitation(
    tokenHash: string,
    user: { userId: string; email: string; name: string },
  ): Promise<{ invitation: Invitation; member: Member }>;
  close(): Promise<void>;
}
