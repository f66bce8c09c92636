import pino from 'pino';

/** Server log; request bodies and tokens are never logged. */
export const logger = pino({ name: 'web', level: process.env.LOG_LEVEL ?? 'info' });
