'use client';
/** Re-syncs the Auth0 organisation to our members; the page refreshes (the warning goes) on success. */
import { api } from '@/client/api';
import { InlineError, useMutation } from './use-mutation';

export function ResyncButton() {
  const { run, error, pending } = useMutation();
  return (
    <div className="space-y-1">
      <button
        type="button"
        className="rounded-md border border-current px-3 py-1"
        disabled={pending}
        onClick={() => run(() => api.call('syncMembersToAuth0'))}
      >
        Re-sync with Auth0
      </button>
      <InlineError error={error} testId="resync-error" />
    </div>
  );
}
