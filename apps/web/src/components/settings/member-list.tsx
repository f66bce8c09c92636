'use client';
/** Members with their roles; owners get a role picker and a remove button per row (RBAC decides). */
import type { MemberDto } from '@omakase/api-contract';
import { ROLES, type Role } from '@omakase/domain';
import type { z } from 'zod';
import { api } from '@/client/api';
import { Badge } from '../ui';
import { InlineError, useMutation } from './use-mutation';

type Member = z.output<typeof MemberDto>;

export function MemberList({
  members,
  currentUserId,
  canUpdate,
  canRemove,
}: {
  members: Member[];
  currentUserId: string;
  canUpdate: boolean;
  canRemove: boolean;
}) {
  const { run, error } = useMutation();
  const changeRole = (m: Member, role: Role) =>
    run(() => api.call('updateMember', { params: { memberId: m.id }, body: { role } }));
  const remove = (m: Member) => {
    if (window.confirm(`Remove ${m.name} from the organisation?`))
      run(() => api.call('removeMember', { params: { memberId: m.id } }));
  };
  return (
    <div className="space-y-3">
      <InlineError error={error} testId="members-error" />
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted">
            <th className="py-2 font-medium">Name</th>
            <th className="font-medium">Email</th>
            <th className="font-medium">Role</th>
            {canRemove ? <th className="sr-only">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} data-testid={`member-${m.email}`} className="border-t border-line">
              <td className="py-2">
                {m.name}
                {m.userId === currentUserId ? <span className="ml-2 text-muted">(you)</span> : null}
              </td>
              <td>{m.email}</td>
              <td>
                {canUpdate ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    className="rounded-md border border-line bg-surface px-2 py-1"
                    value={m.role}
                    onChange={(e) => changeRole(m, e.target.value as Role)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge>{m.role}</Badge>
                )}
              </td>
              {canRemove ? (
                <td className="text-right">
                  <button
                    type="button"
                    className="rounded-md px-2 py-1 text-danger hover:bg-danger-soft"
                    onClick={() => remove(m)}
                  >
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
