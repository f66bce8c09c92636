/**
 * Audit entries for security-relevant API operations that other modules implement (project
 * deletion, runs started and stopped). Written in the operation's own transaction, so a change
 * never commits without its entry nor an entry without its change; member, invitation and
 * secret changes are audited the same way by the security store.
 */
import type { AuditAction, TenantStore } from '@omakase/domain';
import type { Caller } from '../caller';

const AUDITED_OPERATIONS: Record<string, { action: AuditAction; param: string }> = {
  deleteProject: { action: 'project.deleted', param: 'projectId' },
  startProject: { action: 'run.started', param: 'projectId' },
  pauseProject: { action: 'run.stopped', param: 'projectId' },
  stopProject: { action: 'run.stopped', param: 'projectId' },
  startFeature: { action: 'run.started', param: 'featureId' },
  retryFeature: { action: 'run.started', param: 'featureId' },
  stopFeature: { action: 'run.stopped', param: 'featureId' },
  retryDeadWork: { action: 'work.retried', param: 'workItemId' },
};

export const actorOf = (caller: Pick<Caller, 'principal'>) =>
  `${caller.principal.kind}:${caller.principal.subject}`;

/** `tx` is the operation's transaction: if the entry cannot be written, the operation fails too. */
export async function auditOperation(
  tx: TenantStore,
  operationId: string,
  caller: Caller,
  params: unknown,
): Promise<void> {
  const audited = AUDITED_OPERATIONS[operationId];
  if (!audited) return;
  const target = String((params as Record<string, unknown> | undefined)?.[audited.param] ?? '');
  await tx.audit.record({
    actor: actorOf(caller),
    action: audited.action,
    target,
    details: { operation: operationId },
  });
}
