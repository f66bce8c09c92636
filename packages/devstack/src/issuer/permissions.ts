import { POLICY, type Role } from '@omakase/domain';

/** RBAC actions carried in the access token's `permissions` claim, as Auth0 RBAC would. */
export function permissionsFor(role: Role): string[] {
  return [...POLICY[role]];
}
