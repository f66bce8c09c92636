import { parseEnv } from '@omakase/config';
import { LOG_REDACT_PATHS, processRedactors } from '@omakase/secrets';
import pino from 'pino';
import { logShape } from './env';

const settings = parseEnv(logShape);

/**
 * Server log; request bodies and tokens are never logged. Credential fields are redacted by
 * path, and every secret value this process knows (any org's, long enough not to shred words) is
 * replaced wherever it appears.
 * LOG_LEVEL and OMAKASE_LOG_FILE (env.ts) are read when this module loads.
 */
export const logger = pino(
  {
    name: 'web',
    level: settings.LOG_LEVEL,
    redact: LOG_REDACT_PATHS,
    hooks: {
      logMethod(args, method) {
        method.apply(this, processRedactors().forLogs().redact(args) as typeof args);
      },
    },
  },
  settings.OMAKASE_LOG_FILE ? pino.destination({ dest: settings.OMAKASE_LOG_FILE, sync: true }) : undefined,
);
