'use client';
/** Invitations with their status; pending ones can be revoked. */
import type { InvitationDto } from '@omakase/api-contract';
import type { z } from 'zod';
import { api } from '@/client/api';
import { Badge } from '../ui';
import { InlineError, useMutation } from './use-mutation';

const TONE = { pending: 'info', accepted: 'ok', revoked: 'neutral', expired: 'warn' } as const;

export function InvitationList({ invitations }: { invitations: z.output<typeof InvitationDto>[] }) {
  const { run, error } = useMutation();
  if (invitations.length === 0) return <p className="text-sm text-muted">No invitations yet.</p>;
  return (
    <div className="space-y-2">
      <InlineError error={error} testId="invitations-error" />
      <ul className="divide-y divide-line text-sm">
        {invitations.map((i) => (
          <li key={i.id} data-testid={`invitation-${i.email}`} className="flex items-center gap-3 py-2">
            <span className="flex-1">{i.email}</span>
            <span className="text-muted">{i.role}</span>
            <Badge tone={TONE[i.status]}>{i.status}</Badge>
            {i.status === 'pending' ? (
              <button
                type="button"
                className="rounded-md px-2 py-1 text-danger hover:bg-danger-soft"
                onClick={() => run(() => api.call('revokeInvitation', { params: { invitationId: i.id } }))}
              >
                Revoke
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
