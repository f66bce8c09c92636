'use client';
/** Leaving the organisation; the last owner is refused with the API's message. */
import { api } from '@/client/api';
import { InlineError, useMutation } from './use-mutation';

export function LeaveButton({ organizationName }: { organizationName: string }) {
  const { run, error } = useMutation();
  const leave = async () => {
    if (!window.confirm(`Leave ${organizationName}?`)) return;
    const left = await run(async () => {
      await api.call('leaveOrganization');
      return true;
    });
    if (left) window.location.assign('/auth/logout');
  };
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="rounded-md border border-line px-3 py-1.5 text-sm text-danger"
        onClick={leave}
      >
        Leave {organizationName}
      </button>
      <InlineError error={error} testId="leave-error" />
    </div>
  );
}
