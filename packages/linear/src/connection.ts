/**
 * A connected organisation's credentials: opens sealed tokens, refreshes OAuth tokens shortly
 * before expiry under the connection's row lock (one refresher at a time across processes).
 */
import type { LinearStore, OrgId } from '@omakase/domain';
import { LinearIntegrationError } from './errors';
import { type OAuthApp, refreshTokens } from './oauth';
import type { SecretBox } from './secret-box';
import type { LinearCredentials } from './types';

export const REFRESH_MARGIN_MS = 5 * 60_000;

export const secretContext = (orgId: OrgId, what: 'access' | 'refresh' | 'webhook') =>
  `${orgId}/linear/${what}`;

export interface CredentialDeps {
  store: LinearStore;
  box: SecretBox;
  oauth?: OAuthApp;
  now?: () => number;
  onRefresh?: (orgId: OrgId) => void;
}

export async function credentialsFor(deps: CredentialDeps, orgId: OrgId): Promise<LinearCredentials> {
  const now = deps.now ?? Date.now;
  const connection = await deps.store.connections.get(orgId);
  if (!connection) throw new LinearIntegrationError('not_connected', `${orgId} has no Linear connection`);
  const token = () => deps.box.open(connection.accessTokenSealed, secretContext(orgId, 'access'));
  if (connection.mode === 'api_key') return { apiKey: await token() };
  const expiring = (expiresAt: Date | null) =>
    expiresAt !== null && expiresAt.getTime() - now() < REFRESH_MARGIN_MS;
  if (!expiring(connection.expiresAt)) return { accessToken: await token() };

  return deps.store.connections.withLock(orgId, async (current, save) => {
    // Another process may have refreshed while we waited for the lock.
    if (!expiring(current.expiresAt)) {
      return { accessToken: await deps.box.open(current.accessTokenSealed, secretContext(orgId, 'access')) };
    }
    if (!deps.oauth || !current.refreshTokenSealed) {
      throw new LinearIntegrationError('unauthorized', 'the Linear token expired and cannot be refreshed');
    }
    const refreshToken = await deps.box.open(current.refreshTokenSealed, secretContext(orgId, 'refresh'));
    const fresh = await refreshTokens(deps.oauth, refreshToken);
    deps.onRefresh?.(orgId);
    await save({
      accessTokenSealed: await deps.box.seal(fresh.accessToken, secretContext(orgId, 'access')),
      refreshTokenSealed: fresh.refreshToken
        ? await deps.box.seal(fresh.refreshToken, secretContext(orgId, 'refresh'))
        : current.refreshTokenSealed,
      expiresAt: fresh.expiresAt,
    });
    return { accessToken: fresh.accessToken };
  });
}
