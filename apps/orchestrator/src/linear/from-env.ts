/** The production Linear worker from the orchestrator's environment; null when sync is not configured. */
import { routes } from '@omakase/api-contract';
import { createLinearStore, type PostgresStorage } from '@omakase/db';
import { aesGcmSecretBox, type OAuthApp } from '@omakase/linear';
import type { Logger } from 'pino';
import type { OrchestratorEnv } from '../env';
import { LinearWorker } from './worker';

export function linearWorkerFromEnv(
  env: OrchestratorEnv,
  storage: PostgresStorage,
  logger: Logger,
): { worker: LinearWorker; close(): Promise<void> } | null {
  if (!env.OMAKASE_MASTER_KEY) {
    logger.info('Linear sync off: OMAKASE_MASTER_KEY is not set');
    return null;
  }
  const linear = createLinearStore(storage.database);
  // Only refresh needs the OAuth app; the redirect URI and authorize page are the web app's concern.
  const oauth: OAuthApp | undefined =
    env.LINEAR_CLIENT_ID && env.LINEAR_CLIENT_SECRET
      ? {
          clientId: env.LINEAR_CLIENT_ID,
          clientSecret: env.LINEAR_CLIENT_SECRET,
          redirectUri: `${env.OMAKASE_API_URL}${routes.linearCallback.path}`,
          authorizeBaseUrl: 'https://linear.app',
          apiBaseUrl: env.LINEAR_OAUTH_URL,
        }
      : undefined;
  const worker = new LinearWorker({
    storage,
    linear,
    box: aesGcmSecretBox(env.OMAKASE_MASTER_KEY),
    apiUrl: env.LINEAR_API_URL,
    oauth,
    orgMaxConcurrentAgents: env.ORG_MAX_CONCURRENT_AGENTS,
    logger: logger.child({ component: 'linear' }),
  });
  return { worker, close: () => linear.close() };
}
