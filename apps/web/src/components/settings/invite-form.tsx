'use client';
/** Invite by email with a role; the one-time link is shown here (and logged in local mode). */
import { ROLES, type Role } from '@omakase/domain';
import { useState } from 'react';
import { api } from '@/client/api';
import { buttonClass, inputClass } from '../ui';
import { InlineError, useMutation } from './use-mutation';

export function InviteForm() {
  const { run, error, pending } = useMutation();
  const [link, setLink] = useState<string | null>(null);
  const submit = async (form: FormData) => {
    setLink(null);
    const created = await run(() =>
      api.call('createInvitation', {
        body: {
          email: String(form.get('email') ?? ''),
          // The select offers only ROLES; the API validates whatever arrives.
          role: String(form.get('role') ?? '') as Role,
        },
      }),
    );
    if (created) setLink(created.acceptUrl);
  };
  return (
    <form action={submit} className="space-y-3" noValidate>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex-1 space-y-1 text-sm">
          <span className="block font-medium">Email</span>
          <input
            name="email"
            type="email"
            required
            className={inputClass}
            placeholder="someone@example.com"
          />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Role</span>
          <select name="role" defaultValue="member" className={inputClass}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={buttonClass} disabled={pending}>
          Invite
        </button>
      </div>
      <InlineError error={error} testId="invite-error" />
      {link ? (
        <div className="space-y-1 text-sm" role="status">
          <p>Send this one-time link to the invitee (it is shown only now):</p>
          <input readOnly data-testid="invitation-link" value={link} className={inputClass} />
        </div>
      ) : null}
    </form>
  );
}
