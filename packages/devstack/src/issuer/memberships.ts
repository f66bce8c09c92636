/**
 * Where the local issuer gets a user's organisations and roles. By default the fixed demo
 * directory; `npm start` passes the database, so accepted invitations, role changes and
 * removals made in the app show up in the tokens of the next login (as Auth0 would after the
 * same change in the tenant).
 */
import type { Role } from '@omakase/domain';
import { findUserBySub } from './directory';

export interface IssuerMembership {
  org: string;
  role: Role;
}

export type MembershipLookup = (sub: string) => Promise<IssuerMembership[]>;

export const directoryMemberships: MembershipLookup = async (sub) =>
  findUserBySub(sub)?.memberships.map((m) => ({ org: m.org, role: m.role })) ?? [];

/** Any storage exposing `organizations.membershipsOf` (the `@omakase/db` Postgres storage). */
export function storageMemberships(storage: {
  organizations: {
    membershipsOf(sub: string): Promise<{ organization: { externalId: string }; member: { role: Role } }[]>;
  };
}): MembershipLookup {
  return async (sub) =>
    (await storage.organizations.membershipsOf(sub)).map((m) => ({
      org: m.organization.externalId,
      role: m.member.role,
    }));
}

/** The requested org (when a member) or the first membership; undefined when none applies. */
export async function resolveMembership(
  lookup: MembershipLookup,
  sub: string,
  requested: string | undefined,
): Promise<IssuerMembership | undefined> {
  const memberships = await lookup(sub);
  if (requested) return memberships.find((m) => m.org === requested);
  return memberships[0];
}
