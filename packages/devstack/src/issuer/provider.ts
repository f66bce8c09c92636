/**
 * oidc-provider configured to behave like an Auth0 tenant for @auth0/nextjs-auth0 v4 and for
 * API clients verifying access tokens with jose: Auth0's routes, `audience` instead of resource
 * indicators, organisations, namespaced role claims, RBAC permissions and M2M tokens.
 */
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import {
  accessClaims,
  type DirectoryMachineClient,
  directory,
  findMachineClient,
  findUserBySub,
  machineClaims,
  orgClaims,
} from './directory';
import type { IssuerKeys } from './keys';
import { type MembershipLookup, resolveMembership } from './memberships';
import { autoLogoutPage } from './views';

export interface ProviderOptions {
  issuer: string;
  appBaseUrls: string[];
  audience: string;
  claimsNamespace: string;
  keys: IssuerKeys;
  /** grantId → organisation chosen for that login (Auth0 keeps this on the session). */
  orgByGrant: Map<string, string>;
  /** Users' organisations and roles, looked up at every token issuance. */
  memberships: MembershipLookup;
  /** Machine clients besides the demo directory's (tests: per-org warm runner credentials). */
  machineClients?: readonly DirectoryMachineClient[];
}

export const WEB_CLIENT = { id: 'omakase-web', secret: 'omakase-web-secret' } as const;

/** oidc-provider requires absolute URIs as resource indicators; Auth0 audiences are free-form. */
export const resourceFor = (audience: string): string =>
  `urn:omakase:audience:${encodeURIComponent(audience)}`;

const DAY = 24 * 60 * 60;

function requestedAudience(ctx: KoaContextWithOIDC): string | undefined {
  const fromParams = (ctx.oidc.params as Record<string, unknown> | undefined)?.audience;
  const fromBody = (ctx.oidc.body as Record<string, unknown> | undefined)?.audience;
  const value = fromParams ?? fromBody;
  return typeof value === 'string' && value ? value : undefined;
}

export function createProvider(opts: ProviderOptions): Provider {
  const { claimsNamespace: ns, orgByGrant } = opts;
  const bases = opts.appBaseUrls.map((b) => b.replace(/\/+$/, ''));

  /** The grant's org (chosen at login) and the user's current role there, looked up per token. */
  const membershipForGrant = async (sub: string, grantId: string | undefined) => {
    if (!findUserBySub(sub)) return undefined;
    const chosen = grantId ? orgByGrant.get(grantId) : undefined;
    return resolveMembership(opts.memberships, sub, chosen);
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: WEB_CLIENT.id,
        client_secret: WEB_CLIENT.secret,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: bases.map((b) => `${b}/auth/callback`),
        post_logout_redirect_uris: bases.flatMap((b) => [b, `${b}/`]),
        token_endpoint_auth_method: 'client_secret_post',
      },
      ...[...directory.machineClients, ...(opts.machineClients ?? [])].map((m) => ({
        client_id: m.clientId,
        client_secret: m.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post' as const,
      })),
    ],
    jwks: opts.keys.jwks as Configuration['jwks'],
    cookies: { keys: opts.keys.cookieKeys },
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
      end_session: '/oidc/logout',
      revocation: '/oauth/revoke',
    },
    extraParams: ['organization', 'audience'],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      openid: ['sub', 'org_id', 'org_name', `${ns}/roles`],
      email: ['email', 'email_verified'],
      profile: ['name', 'nickname', 'picture', 'updated_at'],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => false },
    ttl: {
      AccessToken: DAY,
      ClientCredentials: DAY,
      AuthorizationCode: 60,
      IdToken: 10 * 60 * 60,
      Interaction: 60 * 60,
      Session: 14 * DAY,
      Grant: 14 * DAY,
      RefreshToken: 14 * DAY,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = autoLogoutPage(form);
        },
      },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, _client, oneOf) => {
          if (oneOf) return oneOf[0] ?? oneOf;
          const audience = requestedAudience(ctx);
          return audience ? resourceFor(audience) : (undefined as unknown as string);
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resourceFor(opts.audience)) throw new errors.InvalidTarget('unknown audience');
          return { audience: opts.audience, scope: 'api', accessTokenFormat: 'jwt', accessTokenTTL: DAY };
        },
      },
    },
    // A grant is tied to one organisation: asking for another one goes through consent again,
    // where the membership is checked and a grant for that organisation is made.
    loadExistingGrant: async (ctx) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (!grantId) return undefined;
      const requested = (ctx.oidc.params as Record<string, unknown>).organization;
      if (typeof requested === 'string' && requested && orgByGrant.get(grantId) !== requested)
        return undefined;
      return ctx.oidc.provider.Grant.find(grantId);
    },
    findAccount: (ctx, sub, token) => {
      const user = findUserBySub(sub);
      if (!user) return undefined;
      const grantId = (token as { grantId?: string } | undefined)?.grantId ?? ctx.oidc.grant?.jti;
      return {
        accountId: sub,
        claims: async () => {
          const membership = await membershipForGrant(sub, grantId);
          return {
            sub,
            email: user.email,
            email_verified: true,
            name: user.name,
            nickname: user.email.split('@')[0],
            ...(membership ? orgClaims(ns, membership.org, membership.role) : {}),
          };
        },
      };
    },
    formats: {
      customizers: {
        jwt: async (ctx, token, jwt) => {
          const payload = jwt.payload as Record<string, unknown>;
          payload.azp = token.clientId;
          if (token.kind === 'ClientCredentials') {
            const machine = token.clientId
              ? findMachineClient(token.clientId, opts.machineClients)
              : undefined;
            if (!machine) return;
            Object.assign(payload, { sub: `${machine.clientId}@clients`, gty: 'client-credentials' });
            Object.assign(payload, machineClaims(ns, machine));
            payload.scope = (payload.permissions as string[]).join(' ');
            return;
          }
          const sub = (token as { accountId?: string }).accountId;
          const membership = sub
            ? await membershipForGrant(sub, (token as { grantId?: string }).grantId)
            : undefined;
          if (membership) Object.assign(payload, accessClaims(ns, membership.org, membership.role));
          // As the Auth0 Action does (docs/auth0.md): the verified email, which invitations are bound to.
          const user = sub ? findUserBySub(sub) : undefined;
          if (user) Object.assign(payload, { [`${ns}/email`]: user.email, [`${ns}/email_verified`]: true });
          // Auth0 puts the granted OpenID scopes in user access tokens.
          payload.scope = ctx.oidc.entities.Grant?.getOIDCScope() || payload.scope;
        },
      },
    },
  };
  return new Provider(opts.issuer, configuration);
}
