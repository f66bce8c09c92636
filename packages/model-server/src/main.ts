import { envVars, loadEnvOrExit } from '@omakase/config';
import pino from 'pino';
import { z } from 'zod';
import { startModelServer } from './server';

const env = loadEnvOrExit(
  {
    PORT: envVars.port(4010),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  'model-server',
);
const logger = pino({ name: 'model-server', level: env.LOG_LEVEL });
const server = await startModelServer({ port: env.PORT, logger });
logger.info({ url: server.url }, 'scripted Anthropic Messages API listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
