/**
 * Optional Auth0 Management API client (Machine to Machine, client-credentials grant). With both
 * credentials set, membership changes are mirrored into the Auth0 organisation; without them
 * (local issuer) nothing is called. Role names map to Auth0 role ids: `owner=rol_…,admin=rol_…`.
 */
import { z } from 'zod';
import { EnvError } from './index';

const ROLE_NAMES = ['owner', 'admin', 'member', 'viewer'] as const;

const roleIds = z.string().transform((raw, ctx) => {
  const pairs = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('=').map((s) => s.trim()));
  const map = Object.fromEntries(pairs.filter((p) => p.length === 2 && p[0] && p[1]));
  const missing = ROLE_NAMES.filter((r) => !map[r]);
  if (pairs.some((p) => p.length !== 2) || missing.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must map every role (${ROLE_NAMES.join(', ')}) as name=rol_id`,
    });
    return z.NEVER;
  }
  return map as Record<(typeof ROLE_NAMES)[number], string>;
});

export const auth0ManagementShape = {
  AUTH0_MANAGEMENT_CLIENT_ID: z.string().min(1).optional(),
  AUTH0_MANAGEMENT_CLIENT_SECRET: z.string().min(1).optional(),
  /** The tenant's canonical domain (the Management API is not served on custom domains); default AUTH0_DOMAIN. */
  AUTH0_MANAGEMENT_DOMAIN: z.string().min(1).optional(),
  AUTH0_ROLE_IDS: roleIds.optional(),
};

export interface Auth0ManagementSettings {
  /** `https://tenant.eu.auth0.com` (or `http://127.0.0.1:port` for a loopback test server). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  roleIds: Record<(typeof ROLE_NAMES)[number], string>;
}

/** Null when not configured; an EnvError when configured by halves. */
export function auth0ManagementSettings(
  env: Record<string, string | undefined>,
  fallbackDomain: string | undefined,
): Auth0ManagementSettings | null {
  const parsed = z.object(auth0ManagementShape).safeParse(env);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message })));
  }
  const e = parsed.data;
  if (!e.AUTH0_MANAGEMENT_CLIENT_ID && !e.AUTH0_MANAGEMENT_CLIENT_SECRET) return null;
  const missing = (
    [
      ['AUTH0_MANAGEMENT_CLIENT_ID', e.AUTH0_MANAGEMENT_CLIENT_ID],
      ['AUTH0_MANAGEMENT_CLIENT_SECRET', e.AUTH0_MANAGEMENT_CLIENT_SECRET],
      ['AUTH0_ROLE_IDS', e.AUTH0_ROLE_IDS],
      ['AUTH0_MANAGEMENT_DOMAIN', e.AUTH0_MANAGEMENT_DOMAIN ?? fallbackDomain],
    ] as const
  ).filter(([, v]) => !v);
  if (missing.length > 0) {
    throw new EnvError(
      missing.map(([variable]) => ({ variable, message: 'required with the Management API client' })),
    );
  }
  const domain = (e.AUTH0_MANAGEMENT_DOMAIN ?? fallbackDomain)!;
  return {
    baseUrl: /^https?:\/\//.test(domain) ? domain.replace(/\/+$/, '') : `https://${domain}`,
    clientId: e.AUTH0_MANAGEMENT_CLIENT_ID!,
    clientSecret: e.AUTH0_MANAGEMENT_CLIENT_SECRET!,
    roleIds: e.AUTH0_ROLE_IDS!,
  };
}
