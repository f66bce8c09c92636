/**
 * Mirrors membership changes into Auth0 Organizations through the Management API when
 * AUTH0_MANAGEMENT_CLIENT_ID/SECRET are set (no-op with the local issuer). Called after our own
 * change committed: a failure (after the adapter's retries) never undoes it; it is logged and
 * audited as `auth0.sync_failed`, and an owner repairs it with a re-sync that sets the Auth0
 * organisation to exactly our members and roles.
 */
import {
  auth0OrganizationDirectory,
  noopOrganizationDirectory,
  type OrganizationDirectory,
  reconcileOrganization,
} from '@omakase/auth/management';
import type { OrgId } from '@omakase/domain';
import { ApiError } from '../api-error';
import type { Caller } from '../caller';
import { env } from '../env';
import { logger } from '../logger';
import { actorOf } from './audit';
import { securityStorage } from './store';

const holder = globalThis as typeof globalThis & { __omakaseAuth0Directory?: OrganizationDirectory };

export function organizationDirectory(): OrganizationDirectory {
  if (holder.__omakaseAuth0Directory) return holder.__omakaseAuth0Directory;
  const settings = env().auth0Management;
  holder.__omakaseAuth0Directory = settings
    ? auth0OrganizationDirectory({ ...settings, invitationClientId: env().AUTH0_CLIENT_ID })
    : noopOrganizationDirectory;
  return holder.__omakaseAuth0Directory;
}

export interface SyncContext {
  orgId: OrgId;
  actor: string;
  /** What the change was about: a member or invitation id (the Auth0 org id for a re-sync). */
  target: string;
  operation: 'invite' | 'add_member' | 'set_role' | 'remove_member' | 'resync';
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
    await recordFailure(ctx, error);
    return null;
  }
}

/** Sets the Auth0 organisation to exactly our members and roles; 409 when not configured, 503 on failure. */
export async function resyncOrganization(caller: Caller): Promise<{ updated: number; removed: number }> {
  if (!organizationDirectory().enabled) {
    throw new ApiError('conflict', 'the Auth0 Management API is not configured (local issuer mode)');
  }
  const security = securityStorage().forOrg(caller.organization.id);
  const members = await security.members.list();
  const ctx: SyncContext = {
    orgId: caller.organization.id,
    actor: actorOf(caller),
    target: caller.organization.externalId,
    operation: 'resync',
  };
  try {
    const result = await reconcileOrganization(
      organizationDirectory(),
      caller.organization.externalId,
      members,
    );
    await security.audit.record({
      actor: ctx.actor,
      action: 'auth0.resynced',
      target: ctx.target,
      details: result,
    });
    return result;
  } catch (error) {
    await recordFailure(ctx, error);
    throw new ApiError(
      'unavailable',
      'Auth0 did not accept the re-sync; see the audit log and try again later',
    );
  }
}

async function recordFailure(ctx: SyncContext, error: unknown): Promise<void> {
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
}
