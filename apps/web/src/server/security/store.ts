/** The security storage (members, invitations, audit, secrets), on the process's database. */
import { createSecurityStorage } from '@omakase/db';
import type { SecurityStorage } from '@omakase/domain';
import { database } from '../storage';

const holder = globalThis as typeof globalThis & { __omakaseSecurity?: SecurityStorage };

export function securityStorage(): SecurityStorage {
  holder.__omakaseSecurity ??= createSecurityStorage(database());
  return holder.__omakaseSecurity;
}
