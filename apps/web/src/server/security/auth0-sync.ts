/**
 * Mirrors membership changes into Auth0 Organizations through the Management API when
 * AUTH0_MANAGEMENT_CLIENT_ID/SECRET are set (no-op with the local issuer). Called after our own
 * change committed: a failure (after the adapter's retries) never undoes it; it is logged and
 * audited as `auth0.sync_failed` so an admin can repeat the change in Auth0.
 */
import {
  auth0OrganizationDirectory,
  noopOrganizationDirectory,
  type OrganizationDirectory,
} from '@omakase/auth/management';
import { auth0ManagementSettings } from '@omakase/config';
import type { OrgId } from '@omakase/domain';
import { env } from '../env';
import { logger } from '../logger';
import { securityStorage } from './store';

const holder = globalThis as typeof globalThis & { __omakaseAuth0Directory?: OrganizationDirectory };

export function organizationDirectory(): OrganizationDirectory {
  if (holder.__omakaseAuth0Directory) return holder.__omakaseAuth0Directory;
  const settings = auth0ManagementSettings(process.env, env().AUTH0_DOMAIN);
  holder.__omakaseAuth0Directory = settings
    ? auth0OrganizationDirectory({ ...settings, invitationClientId: env().AUTH0_CLIENT_ID })
    : noopOrganizationDirectory;
  return holder.__omakaseAuth0Directory;
}

export interface SyncContext {
  orgId: OrgId;
  actor: string;
  /** What the change was about: a member or invitation id. */
  target: string;
  operation: 'invite' | 'add_member' | 'set_role' | 'remove_member';
}

/** Runs `change` against Auth0: its result, or null when nothing is configured or it failed. */
export async function syncToAuth0<T>(
  ctx: SyncContext,
  change: (directory: OrganizationDirectory) => Promise<T>,
): Promise<T | null> {
  const directory = organizationDirectory();
  if (!directory.enabled) return null;
  try {
    return await change(directory);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error, operation: ctx.operation, target: ctx.target }, 'Auth0 sync failed');
    await securityStorage()
      .forOrg(ctx.orgId)
      .audit.record({
        actor: ctx.actor,
        action: 'auth0.sync_failed',
        target: ctx.target,
        details: { operation: ctx.operation, error: message.slice(0, 500) },
      })
      .catch((auditError) => logger.error({ err: auditError }, 'Auth0 sync failure could not be audited'));
    return null;
  }
}
