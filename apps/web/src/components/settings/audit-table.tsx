/** Audit entries as a readable table: who did what to what, when. */
import type { AuditEntryDto } from '@omakase/api-contract';
import type { z } from 'zod';
import { EmptyState } from '../ui';

const LABELS: Record<string, string> = {
  'member.invited': 'Invited a member',
  'member.joined': 'Joined (accepted an invitation)',
  'member.role_changed': 'Changed a role',
  'member.removed': 'Removed a member',
  'member.left': 'Left the organisation',
  'invitation.revoked': 'Revoked an invitation',
  'secret.saved': 'Saved a secret',
  'secret.deleted': 'Deleted a secret',
  'project.deleted': 'Deleted a project',
  'run.started': 'Started a run',
  'run.stopped': 'Stopped a run',
  'auth0.sync_failed': 'Auth0 sync failed',
  'auth0.resynced': 'Re-synced Auth0',
};

/** Details worth a glance (email, roles, error); ids stay in the API. */
function summary(details: Record<string, unknown>): string {
  return ['role', 'from', 'to', 'operation', 'error', 'updated', 'removed']
    .filter((k) => details[k] !== undefined)
    .map((k) => `${k}: ${String(details[k])}`)
    .join(' · ');
}

/**
 * `names` maps `user:<sub>` actors and member ids to people's names; anyone since removed shows
 * by the email the entry recorded, or by id.
 */
export function AuditTable({
  entries,
  names,
}: {
  entries: z.output<typeof AuditEntryDto>[];
  names: Record<string, string>;
}) {
  if (entries.length === 0) return <EmptyState title="No entries" hint="Nothing matches this filter yet." />;
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="text-left text-muted">
          <th className="py-2 font-medium">When (UTC)</th>
          <th className="font-medium">Actor</th>
          <th className="font-medium">Action</th>
          <th className="font-medium">Target</th>
          <th className="font-medium">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr
            key={e.id}
            data-testid="audit-row"
            data-action={e.action}
            className="border-t border-line align-top [&>td]:py-2"
          >
            <td className="pr-4 whitespace-nowrap">{e.createdAt.replace('T', ' ').slice(0, 19)}</td>
            <td className="pr-4" title={e.actor}>
              {names[e.actor] ?? e.actor}
            </td>
            <td className="pr-4" title={e.action}>
              {LABELS[e.action] ?? e.action}
            </td>
            <td className="pr-4" title={e.target}>
              {names[e.target] ?? (typeof e.details.email === 'string' ? e.details.email : e.target)}
            </td>
            <td className="text-muted">{summary(e.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
