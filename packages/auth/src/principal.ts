/** Turns verified token claims (or session claims) into who is calling, in which org, with which role. */
import { ROLES, type Role } from '@omakase/domain';
import { z } from 'zod';

export interface Principal {
  kind: 'user' | 'machine';
  /** `sub` for users, the client id for machines. */
  subject: string;
  /** Auth0 organisation id (`org_id`); null when the token carries none. */
  orgExternalId: string | null;
  /** Highest role in the namespaced roles claim; null when none is known. */
  role: Role | null;
  permissions: string[];
  name?: string;
  email?: string;
  /** True only when the issuer says the email address was verified. */
  emailVerified?: boolean;
}

export const DEFAULT_CLAIMS_NAMESPACE = 'https://omakase.dev';

/** Index 0 is the most powerful (owner). */
const RANK = new Map<string, number>(ROLES.map((role, index) => [role, index]));

export function highestRole(values: readonly unknown[]): Role | null {
  const known = values.filter((v): v is Role => typeof v === 'string' && RANK.has(v));
  known.sort((a, b) => RANK.get(a)! - RANK.get(b)!);
  return known[0] ?? null;
}

const ClaimsSchema = z.looseObject({
  sub: z.string().min(1).optional(),
  azp: z.string().optional(),
  client_id: z.string().optional(),
  gty: z.unknown().optional(),
  org_id: z.string().min(1).optional(),
  permissions: z.array(z.string()).optional(),
  scope: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
});

const rolesClaim = (namespace: string) => `${namespace.replace(/\/+$/, '')}/roles`;

export function principalFromClaims(
  claims: Record<string, unknown>,
  opts: { claimsNamespace?: string } = {},
): Principal | null {
  const parsed = ClaimsSchema.safeParse(claims);
  if (!parsed.success) return null;
  const c = parsed.data;
  const clientId = c.client_id ?? c.azp;
  // Auth0 marks client-credentials tokens with gty and `<client>@clients` subjects.
  const isMachine =
    c.gty === 'client-credentials' ||
    (Array.isArray(c.gty) && c.gty.includes('client-credentials')) ||
    c.sub?.endsWith('@clients') === true ||
    (c.sub !== undefined && c.sub === clientId);
  const subject = isMachine ? (clientId ?? c.sub?.replace(/@clients$/, '')) : c.sub;
  if (!subject) return null;
  const namespace = (opts.claimsNamespace ?? DEFAULT_CLAIMS_NAMESPACE).replace(/\/+$/, '');
  const roles = claims[rolesClaim(namespace)];
  // ID tokens (sessions) carry the standard claims; access tokens the namespaced ones.
  const namespacedEmail = claims[`${namespace}/email`];
  const email = c.email ?? (typeof namespacedEmail === 'string' ? namespacedEmail : undefined);
  const verified = c.email_verified ?? claims[`${namespace}/email_verified`];
  return {
    kind: isMachine ? 'machine' : 'user',
    subject,
    orgExternalId: c.org_id ?? null,
    role: highestRole(Array.isArray(roles) ? roles : typeof roles === 'string' ? [roles] : []),
    // An M2M client's grants are its `scope` (Auth0 adds `permissions` only with "Add Permissions
    // in the Access Token" on); both name the same API permissions.
    permissions: isMachine
      ? [...new Set([...(c.permissions ?? []), ...(c.scope?.split(' ').filter(Boolean) ?? [])])]
      : (c.permissions ?? []),
    ...(c.name ? { name: c.name } : {}),
    ...(email ? { email } : {}),
    ...(email && !isMachine ? { emailVerified: verified === true } : {}),
  };
}
