/**
 * A small adapter over the few Auth0 Management API endpoints that mirror Omakase memberships
 * into Auth0 Organizations: invitations, a member's organisation roles, adding and removing
 * members. Without credentials it is a no-op (local issuer mode).
 */
import { backoffMs, type Role } from '@omakase/domain';
import { TokenRequestError } from '../client-credentials';
import { Auth0ManagementError, managementToken } from './token';

export { reconcileOrganization } from './reconcile';
export { Auth0ManagementError } from './token';

export interface OrganizationDirectory {
  readonly enabled: boolean;
  /**
   * An Auth0 organisation invitation carrying the role. Auth0 sends no email: its ticket rides
   * on our own invitation link, so a new user can sign up into the organisation on the way.
   */
  invite(
    orgId: string,
    input: { email: string; role: Role; inviterName: string; ttlSeconds: number },
  ): Promise<{ id: string; ticket: string | null } | null>;
  /** Adds the user to the organisation with exactly this role. */
  addMember(orgId: string, userId: string, role: Role): Promise<void>;
  /** Makes `role` the user's only Omakase role in the organisation. */
  setRole(orgId: string, userId: string, role: Role): Promise<void>;
  removeMember(orgId: string, userId: string): Promise<void>;
  /** The user ids of the organisation's members (all pages). */
  listMembers(orgId: string): Promise<string[]>;
}

export const noopOrganizationDirectory: OrganizationDirectory = {
  enabled: false,
  invite: async () => null,
  addMember: async () => {},
  setRole: async () => {},
  removeMember: async () => {},
  listMembers: async () => [],
};

export interface Auth0ManagementOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  roleIds: Record<Role, string>;
  /** The application invitees sign in to (the web app's client id). */
  invitationClientId: string;
  fetch?: typeof fetch;
  /** Per HTTP request (default 5 s); a timeout counts as a retryable network error. */
  timeoutMs?: number;
  /** Attempts per call on 429, 5xx, network errors and timeouts. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export function auth0OrganizationDirectory(opts: Auth0ManagementOptions): OrganizationDirectory {
  const baseFetch = opts.fetch ?? fetch;
  // Every request is bounded: a hanging Auth0 must not hold the caller (and its transaction) open.
  const timeoutMs = opts.timeoutMs ?? 5000;
  const doFetch: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = opts.attempts ?? 3;
  const token = managementToken({ ...opts, fetch: doFetch });
  const org = (id: string) => `/api/v2/organizations/${encodeURIComponent(id)}`;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let lastError: unknown;
    let renewed = false;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${opts.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${await token.get()}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (error instanceof TokenRequestError && error.status !== 0 && !RETRYABLE(error.status)) {
          throw new Auth0ManagementError(error.status, error.message);
        }
        lastError = error;
        await sleep(backoff(attempt));
        continue;
      }
      if (response.status === 401 && !renewed) {
        // A revoked or rotated token: fetch a new one once, without spending an attempt.
        renewed = true;
        token.invalidate();
        attempt--;
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      const detail = (await response.json().catch(() => null)) as { message?: string } | null;
      lastError = new Auth0ManagementError(
        response.status,
        `${method} ${path}: ${response.status} ${detail?.message ?? response.statusText}`,
      );
      if (!RETRYABLE(response.status)) throw lastError;
      await sleep(retryAfterMs(response) ?? backoff(attempt));
    }
    throw lastError;
  }

  const otherRoleIds = (role: Role) =>
    (Object.keys(opts.roleIds) as Role[]).filter((r) => r !== role).map((r) => opts.roleIds[r]);

  const directory: OrganizationDirectory = {
    enabled: true,
    async invite(orgId, input) {
      const created = await call<{ id: string; invitation_url: string }>(
        'POST',
        `${org(orgId)}/invitations`,
        {
          inviter: { name: input.inviterName },
          invitee: { email: input.email },
          client_id: opts.invitationClientId,
          roles: [opts.roleIds[input.role]],
          ttl_sec: input.ttlSeconds,
          send_invitation_email: false,
        },
      );
      const ticket = URL.canParse(created.invitation_url)
        ? new URL(created.invitation_url).searchParams.get('invitation')
        : null;
      return { id: created.id, ticket };
    },
    async addMember(orgId, userId, role) {
      await call('POST', `${org(orgId)}/members`, { members: [userId] });
      await directory.setRole(orgId, userId, role);
    },
    async setRole(orgId, userId, role) {
      // Grant first: a half-done change leaves an extra role, never none. An extra higher role
      // grants nothing, since the effective role is the lower of token and database membership.
      const roles = `${org(orgId)}/members/${encodeURIComponent(userId)}/roles`;
      await call('POST', roles, { roles: [opts.roleIds[role]] });
      await call('DELETE', roles, { roles: otherRoleIds(role) });
    },
    async removeMember(orgId, userId) {
      await call('DELETE', `${org(orgId)}/members`, { members: [userId] });
    },
    async listMembers(orgId) {
      const ids: string[] = [];
      for (let page = 0; ; page++) {
        const { members, total } = await call<{ members: { user_id: string }[]; total: number }>(
          'GET',
          `${org(orgId)}/members?page=${page}&per_page=${MEMBERS_PER_PAGE}&include_totals=true`,
        );
        ids.push(...members.map((m) => m.user_id));
        if (members.length === 0 || ids.length >= total) return ids;
      }
    },
  };
  return directory;
}

const MEMBERS_PER_PAGE = 50;

const backoff = (attempt: number) => backoffMs(attempt, { baseMs: 200, maxMs: 2000 });

function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 5000) : undefined;
}
