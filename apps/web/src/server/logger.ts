import { LOG_REDACT_PATHS, processRedactors } from '@omakase/secrets';
import pino from 'pino';

/**
 * Server log; request bodies and tokens are never logged. Credential fields are redacted by
 * path, and every secret value this process knows (any org's, long enough not to shred words) is
 * replaced wherever it appears.
 * OMAKASE_LOG_FILE sends the log to a file (tests search it for planted secrets).
 */
export const logger = pino(
  {
    name: 'web',
    level: process.env.LOG_LEVEL ?? 'info',
    redact: LOG_REDACT_PATHS,
    hooks: {
      logMethod(args, method) {
        method.apply(this, processRedactors().forLogs().redact(args) as typeof args);
      },
    },
  },
  process.env.OMAKASE_LOG_FILE
    ? pino.destination({ dest: process.env.OMAKASE_LOG_FILE, sync: true })
    : undefined,
);
