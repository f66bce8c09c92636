/**
 * The Auth0 SDK client, created on first use so the build needs no secrets.
 * Session cookies keep the org and role claims the API and pages authorise with.
 */
import { Auth0Client } from '@auth0/nextjs-auth0/server';
import { env } from '@/server/env';

let client: Auth0Client | undefined;

export const ORG_CLAIMS = ['org_id', 'org_name'] as const;

export function rolesClaim(): string {
  return `${env().OMAKASE_CLAIMS_NAMESPACE.replace(/\/+$/, '')}/roles`;
}

export function auth0(): Auth0Client {
  if (client) return client;
  const e = env();
  client = new Auth0Client({
    domain: e.AUTH0_DOMAIN,
    clientId: e.AUTH0_CLIENT_ID,
    clientSecret: e.AUTH0_CLIENT_SECRET,
    secret: e.AUTH0_SECRET,
    appBaseUrl: e.APP_BASE_URL,
    allowInsecureRequests: e.AUTH0_ISSUER_INSECURE,
    authorizationParameters: { audience: e.AUTH0_AUDIENCE, scope: 'openid profile email offline_access' },
    async beforeSessionSaved(session) {
      // The SDK keeps only standard claims by default; the namespaced roles and org claims matter here,
      // and email_verified: accepting an invitation needs the verified address.
      const source = session.user as Record<string, unknown>;
      const kept: Record<string, unknown> = {};
      for (const key of ['sub', 'name', 'email', 'email_verified', 'picture', rolesClaim(), ...ORG_CLAIMS]) {
        if (source[key] !== undefined) kept[key] = source[key];
      }
      return { ...session, user: kept as typeof session.user };
    },
  });
  return client;
}
