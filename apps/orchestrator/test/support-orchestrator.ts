/** What in-process test orchestrators share: no API (tokens signed here), a quiet logger, one data dir. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import type { OrchestratorOptions } from '../src/orchestrator';
import { localRunTokens } from '../src/run-tokens';

export function testOrchestratorDefaults(
  dir: string,
): Pick<
  OrchestratorOptions,
  'leaseMs' | 'apiUrl' | 'runTokens' | 'workspacesDir' | 'orgMaxConcurrentAgents' | 'model' | 'logger'
> {
  return {
    leaseMs: 5000,
    apiUrl: 'http://127.0.0.1:9',
    runTokens: localRunTokens(randomBytes(32).toString('hex')),
    workspacesDir: join(dir, 'workspaces'),
    orgMaxConcurrentAgents: 10,
    model: {},
    logger: pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' }),
  };
}
