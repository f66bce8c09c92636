import type { Membership } from '@omakase/domain';

/** Switching organisation re-runs the login with `organization=<Auth0 org id>` (the SDK forwards it). */
export function OrgSwitcher({ current, memberships }: { current: string; memberships: Membership[] }) {
  const others = memberships.filter((m) => m.organization.externalId !== current);
  if (others.length === 0) return null;
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-muted hover:bg-subtle">
        Switch ▾
      </summary>
      <ul className="absolute right-0 z-10 mt-1 min-w-44 rounded-md border border-line bg-surface p-1 shadow-lg">
        {others.map(({ organization, member }) => (
          <li key={organization.id}>
            <a
              className="flex justify-between gap-4 rounded px-3 py-2 text-sm hover:bg-subtle"
              href={`/auth/login?organization=${encodeURIComponent(organization.externalId)}&returnTo=/`}
            >
              <span>{organization.name}</span>
              <span className="text-muted">{member.role}</span>
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
