'use client';
/** Accepts the invitation, then offers to sign in to the organisation (a new login carries its org_id). */
import type { AcceptedInvitationDto } from '@omakase/api-contract';
import { useState } from 'react';
import type { z } from 'zod';
import { ApiClientError, api } from '@/client/api';
import { buttonClass } from '../ui';

export function AcceptInvitation({ token }: { token: string }) {
  const [accepted, setAccepted] = useState<z.output<typeof AcceptedInvitationDto> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const accept = async () => {
    setPending(true);
    setError(null);
    try {
      setAccepted(await api.call('acceptInvitation', { body: { token } }));
    } catch (e) {
      setError(e instanceof ApiClientError ? e.message : 'Something went wrong; try again.');
    } finally {
      setPending(false);
    }
  };
  if (accepted) {
    const login = `/auth/login?organization=${encodeURIComponent(accepted.organization)}&returnTo=/settings/members`;
    return (
      <div className="space-y-3" role="status">
        <p>
          You joined as <strong>{accepted.member.role}</strong>.
        </p>
        <a className={buttonClass} href={login}>
          Continue to the organisation
        </a>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-muted">You were invited to an Omakase organisation.</p>
      <button type="button" className={buttonClass} onClick={accept} disabled={pending}>
        Accept invitation
      </button>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
