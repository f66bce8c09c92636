/**
 * Who is calling: a Bearer access token (verified against the issuer's JWKS) or the Auth0
 * session cookie, mapped to the organisation it acts in.
 */
import { AuthError, type Principal, principalFromClaims, verifyAccessToken } from '@omakase/auth';
import { type Organization, ROLES, type Role } from '@omakase/domain';
import { auth0 } from '@/lib/auth0';
import { env, issuerUrl } from './env';
import { storage } from './storage';

export interface Caller {
  principal: Principal;
  organization: Organization;
  role: Role;
}

const SESSION_COOKIE = '__session';

function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AuthError('invalid_token', 'Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** Session claims → principal; null when there is no session. */
async function sessionPrincipal(request?: Request): Promise<Principal | null> {
  if (request && !request.headers.get('cookie')?.includes(SESSION_COOKIE)) return null;
  const session = request ? await auth0().getSession(request as never) : await auth0().getSession();
  if (!session) return null;
  return principalFromClaims(session.user as Record<string, unknown>, {
    claimsNamespace: env().OMAKASE_CLAIMS_NAMESPACE,
  });
}

/** Authenticates the request (API) or the current page's session (no request). */
export async function resolvePrincipal(request?: Request): Promise<Principal> {
  const token = request ? bearerToken(request) : null;
  if (token) {
    const e = env();
    return verifyAccessToken(token, {
      issuerUrl: issuerUrl(),
      audience: e.AUTH0_AUDIENCE,
      claimsNamespace: e.OMAKASE_CLAIMS_NAMESPACE,
    });
  }
  const principal = await sessionPrincipal(request);
  if (!principal) throw new AuthError('unauthenticated', 'authentication required');
  return principal;
}

/** The principal's organisation and role; an unknown org or a missing role is a 403, never a 404. */
export async function resolveCaller(request?: Request): Promise<Caller> {
  const principal = await resolvePrincipal(request);
  if (!principal.orgExternalId) throw new AuthError('forbidden', 'the credentials carry no organisation');
  const organization = await storage().organizations.findByExternalId(principal.orgExternalId);
  if (!organization) throw new AuthError('forbidden', 'the organisation is not provisioned');
  if (!principal.role) throw new AuthError('forbidden', 'the credentials carry no role in this organisation');
  if (principal.kind === 'machine') return { principal, organization, role: principal.role };
  // Users must still be members: removal and demotion take effect on the next request, without
  // waiting for the token to expire. The effective role is the lower of token and membership.
  const member = await storage().forOrg(organization.id).members.getByUserId(principal.subject);
  if (!member) throw new AuthError('forbidden', 'you are not a member of this organisation');
  return { principal, organization, role: lowerRole(principal.role, member.role) };
}

export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) > ROLES.indexOf(b) ? a : b;
}
