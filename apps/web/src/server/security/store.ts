/** The security storage (members, invitations, audit, secrets), one pool per server process. */
import { createSecurityStorage } from '@omakase/db';
import type { SecurityStorage } from '@omakase/domain';
import { env } from '../env';

const holder = globalThis as typeof globalThis & { __omakaseSecurity?: SecurityStorage };

export function securityStorage(): SecurityStorage {
  holder.__omakaseSecurity ??= createSecurityStorage(env().DATABASE_URL);
  return holder.__omakaseSecurity;
}
