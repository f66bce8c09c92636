/** Connecting and disconnecting an organisation's Linear workspace (OAuth or personal API key). */
import type { LinearConnection, OrgId } from '@omakase/domain';
import {
  createLinearGateway,
  exchangeCode,
  type LinearCredentials,
  LinearIntegrationError,
  revokeToken,
  secretContext,
} from '@omakase/linear';
import { ApiError } from '../api-error';
import { logger } from '../logger';
import { linearEnv, linearStore, requireOAuthApp, secretBox } from './config';

const connected = (
  actor: string,
  viewer: { organizationId: string; organizationName: string },
  mode: string,
) => ({
  actor,
  action: 'integration.connected' as const,
  target: 'linear',
  details: { linearOrgId: viewer.organizationId, linearOrgName: viewer.organizationName, mode },
});

/** Who we are in Linear with these credentials (the app user for actor=app installs). */
async function whoAmI(credentials: LinearCredentials) {
  const gateway = createLinearGateway({
    apiUrl: linearEnv().LINEAR_API_URL,
    credentials: async () => credentials,
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
  });
  try {
    return await gateway.viewer();
  } catch (error) {
    if (error instanceof LinearIntegrationError) {
      throw new ApiError('validation_failed', `Linear refused the credentials: ${error.message}`);
    }
    throw error;
  }
}

/** `actor` is the audit actor (`user:<sub>`): connect and disconnect are audited in their own transaction. */
export async function completeOAuth(orgId: OrgId, code: string, actor: string): Promise<LinearConnection> {
  const app = requireOAuthApp();
  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    tokens = await exchangeCode(app, code);
  } catch (error) {
    if (error instanceof LinearIntegrationError) throw new ApiError('validation_failed', error.message);
    throw error;
  }
  const viewer = await whoAmI({ accessToken: tokens.accessToken });
  const box = secretBox();
  return linearStore().connections.upsert(
    orgId,
    {
      mode: 'oauth',
      linearOrgId: viewer.organizationId,
      actorId: viewer.userId,
      accessTokenSealed: await box.seal(tokens.accessToken, secretContext(orgId, 'access')),
      refreshTokenSealed: tokens.refreshToken
        ? await box.seal(tokens.refreshToken, secretContext(orgId, 'refresh'))
        : null,
      // OAuth apps sign every delivery with the app's secret (LINEAR_WEBHOOK_SECRET).
      webhookSecretSealed: null,
      expiresAt: tokens.expiresAt,
    },
    connected(actor, viewer, 'oauth'),
  );
}

export async function connectApiKey(
  orgId: OrgId,
  input: { apiKey: string; webhookSecret: string },
  actor: string,
): Promise<LinearConnection> {
  const viewer = await whoAmI({ apiKey: input.apiKey });
  const box = secretBox();
  return linearStore().connections.upsert(
    orgId,
    {
      mode: 'api_key',
      linearOrgId: viewer.organizationId,
      actorId: viewer.userId,
      accessTokenSealed: await box.seal(input.apiKey, secretContext(orgId, 'access')),
      refreshTokenSealed: null,
      webhookSecretSealed: await box.seal(input.webhookSecret, secretContext(orgId, 'webhook')),
      expiresAt: null,
    },
    connected(actor, viewer, 'api_key'),
  );
}

/** Revokes an OAuth token (a personal API key is the user's to revoke) and deletes the connection. */
export async function disconnect(orgId: OrgId, actor: string): Promise<boolean> {
  const store = linearStore();
  const connection = await store.connections.get(orgId);
  if (!connection) return false;
  if (connection.mode === 'oauth') {
    const token = await secretBox().open(connection.accessTokenSealed, secretContext(orgId, 'access'));
    try {
      await revokeToken(requireOAuthApp(), token);
    } catch (error) {
      // Deleting still removes our only copy of the token; the failure is reported, not hidden.
      logger.warn({ err: error, orgId }, 'Linear token revocation failed; deleting the connection anyway');
    }
  }
  return store.connections.delete(orgId, {
    actor,
    action: 'integration.disconnected',
    target: 'linear',
    details: { linearOrgId: connection.linearOrgId, mode: connection.mode },
  });
}
