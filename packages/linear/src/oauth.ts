/** Linear OAuth2 (app actor): authorize URL, code exchange, refresh and revoke. */
import { z } from 'zod';
import { LinearIntegrationError } from './errors';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** https://linear.app for the authorize page; the fake in tests. */
  authorizeBaseUrl: string;
  /** https://api.linear.app for token and revoke. */
  apiBaseUrl: string;
}

export const LINEAR_SCOPES = ['read', 'write', 'app:assignable', 'app:mentionable'];

export function authorizeUrl(app: OAuthApp, state: string): string {
  const url = new URL('/oauth/authorize', app.authorizeBaseUrl);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    scope: LINEAR_SCOPES.join(','),
    state,
    actor: 'app',
  }).toString();
  return url.toString();
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().nullish(),
  expires_in: z.number().nullish(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

async function tokenRequest(app: OAuthApp, params: Record<string, string>): Promise<TokenSet> {
  const response = await fetch(new URL('/oauth/token', app.apiBaseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, client_id: app.clientId, client_secret: app.clientSecret }),
  });
  if (!response.ok) {
    throw new LinearIntegrationError('oauth_failed', `token endpoint answered ${response.status}`);
  }
  const parsed = tokenResponse.safeParse(await response.json());
  if (!parsed.success) throw new LinearIntegrationError('oauth_failed', 'unexpected token response');
  const { access_token, refresh_token, expires_in } = parsed.data;
  return {
    accessToken: access_token,
    refreshToken: refresh_token ?? null,
    expiresAt: expires_in ? new Date(Date.now() + expires_in * 1000) : null,
  };
}

export const exchangeCode = (app: OAuthApp, code: string) =>
  tokenRequest(app, { grant_type: 'authorization_code', code, redirect_uri: app.redirectUri });

export const refreshTokens = (app: OAuthApp, refreshToken: string) =>
  tokenRequest(app, { grant_type: 'refresh_token', refresh_token: refreshToken });

export async function revokeToken(app: Pick<OAuthApp, 'apiBaseUrl'>, accessToken: string): Promise<void> {
  const response = await fetch(new URL('/oauth/revoke', app.apiBaseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok && response.status !== 400) {
    throw new LinearIntegrationError('oauth_failed', `revoke answered ${response.status}`);
  }
}
