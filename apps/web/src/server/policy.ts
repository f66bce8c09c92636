/** Authorisation of API actions by role: the single check both the API and server actions use. */
import type { ApiAction } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import { authorize, can, type Role } from '@omakase/domain';

export function isAllowed(role: Role, action: ApiAction): boolean {
  return can(role, action);
}

export function assertAllowed(role: Role, action: ApiAction): void {
  const result = authorize(role, action);
  if (!result.ok) throw new AuthError('forbidden', result.error.message);
}
