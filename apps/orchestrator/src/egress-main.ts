/**
 * The cloud runners' egress proxy as its own process (an ECS service in infra/): HTTP CONNECT on a
 * TCP port, opening connections only to the allowlist — the same policy and code as the local
 * sandbox's per-run proxy (compute/egress-proxy.ts). Runners reach it through HTTPS_PROXY; their
 * security group allows nothing else out but EFS.
 */
import { envVars, loadEnvOrExit } from '@omakase/config';
import pino from 'pino';
import { z } from 'zod';
import { egressAllowlist, startTcpEgressProxy } from './compute/egress-proxy';

const destination = z
  .string()
  .regex(/^(\[[0-9a-f:]+\]|[a-z0-9.-]+):\d{1,5}$/i, { error: 'each destination must be host:port' });

export const egressEnvShape = {
  EGRESS_PORT: envVars.port(3128),
  /** The platform API runners report to. */
  OMAKASE_API_URL: z.url(),
  /** The model endpoint; Anthropic's API when unset. */
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** More `host:port` destinations, comma-separated (e.g. a project's package registry). */
  EGRESS_EXTRA_DESTINATIONS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(destination)),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
};

const env = loadEnvOrExit(egressEnvShape, 'egress-proxy');
const logger = pino({ name: 'egress-proxy', level: env.LOG_LEVEL });
const allowed = egressAllowlist({
  apiUrl: env.OMAKASE_API_URL,
  modelBaseUrl: env.ANTHROPIC_BASE_URL,
  extra: env.EGRESS_EXTRA_DESTINATIONS,
});
const proxy = await startTcpEgressProxy(allowed, logger, { port: env.EGRESS_PORT });
logger.info({ port: proxy.port, allowed }, 'egress proxy listening');

async function shutdown(signal: string) {
  logger.info({ signal, denied: proxy.denied }, 'egress proxy stopping');
  await proxy.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
