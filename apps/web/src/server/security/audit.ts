/**
 * Audit entries for security-relevant API operations that other modules implement (project
 * deletion, runs started and stopped). Written right after the operation commits; member,
 * invitation and secret changes are audited inside their own transactions by the store.
 */
import type { AuditAction } from '@omakase/domain';
import type { Caller } from '../caller';
import { logger } from '../logger';
import { securityStorage } from './store';

const AUDITED_OPERATIONS: Record<string, { action: AuditAction; param: string }> = {
  deleteProject: { action: 'project.deleted', param: 'projectId' },
  startProject: { action: 'run.started', param: 'projectId' },
  pauseProject: { action: 'run.stopped', param: 'projectId' },
  stopProject: { action: 'run.stopped', param: 'projectId' },
  startFeature: { action: 'run.started', param: 'featureId' },
  retryFeature: { action: 'run.started', param: 'featureId' },
  stopFeature: { action: 'run.stopped', param: 'featureId' },
};

export const actorOf = (caller: Pick<Caller, 'principal'>) =>
  `${caller.principal.kind}:${caller.principal.subject}`;

export async function auditOperation(operationId: string, caller: Caller, params: unknown): Promise<void> {
  const audited = AUDITED_OPERATIONS[operationId];
  if (!audited) return;
  const target = String((params as Record<string, unknown> | undefined)?.[audited.param] ?? '');
  try {
    await securityStorage()
      .forOrg(caller.organization.id)
      .audit.record({
        actor: actorOf(caller),
        action: audited.action,
        target,
        details: { operation: operationId },
      });
  } catch (error) {
    // The operation already committed; a lost audit entry is logged loudly rather than failing it.
    logger.error({ err: error, operationId, target }, 'audit entry could not be written');
  }
}
