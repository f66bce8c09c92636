/** Machine identities: what an M2M (client-credentials) token may do beyond the human RBAC roles. */
import { AuthError } from './errors';
import type { Principal } from './principal';

/**
 * Claiming runs for the token's org (warm runner tasks). Deliberately not in any human role's
 * permissions: only the per-org warm-runner M2M client is granted it (Auth0 API permission).
 */
export const RUNNER_CLAIM_PERMISSION = 'runs:claim';

/**
 * Asking the API for a run's token before launching it: the orchestrator's M2M client only, so
 * the run-token signing key stays with the API. In no human role either.
 */
export const RUN_MINT_PERMISSION = 'runs:mint';

/** Passes only for a machine principal holding `permission`; a 403 otherwise. */
export function requireMachinePermission(principal: Principal, permission: string): void {
  if (principal.kind !== 'machine' || !principal.permissions.includes(permission)) {
    throw new AuthError('forbidden', `a machine token with the ${permission} permission is required`);
  }
}
