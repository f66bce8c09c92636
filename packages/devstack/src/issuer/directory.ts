/**
 * Lookups over the fixed local identity directory (users, orgs, machine clients) and the
 * Auth0-style claims derived from it.
 */

import { DEMO_DIRECTORY, type DirectoryMachineClient } from '@omakase/db';
import type { Role } from '@omakase/domain';
import { permissionsFor } from './permissions';

export type DirectoryUser = (typeof DEMO_DIRECTORY.users)[number];
export type { DirectoryMachineClient } from '@omakase/db';

export const directory = DEMO_DIRECTORY;

export function findUserByEmail(email: string): DirectoryUser | undefined {
  const wanted = email.trim().toLowerCase();
  return directory.users.find((u) => u.email === wanted);
}

export function findUserBySub(sub: string): DirectoryUser | undefined {
  return directory.users.find((u) => u.sub === sub);
}

export function findMachineClient(
  clientId: string,
  extra: readonly DirectoryMachineClient[] = [],
): DirectoryMachineClient | undefined {
  return [...directory.machineClients, ...extra].find((c) => c.clientId === clientId);
}

export function orgName(externalId: string): string {
  return directory.orgs.find((o) => o.externalId === externalId)?.name ?? externalId;
}

/** Organisation claims shared by ID and access tokens. */
export function orgClaims(namespace: string, org: string, role: Role): Record<string, unknown> {
  return { org_id: org, org_name: orgName(org), [`${namespace}/roles`]: [role] };
}

export function accessClaims(namespace: string, org: string, role: Role): Record<string, unknown> {
  return { org_id: org, [`${namespace}/roles`]: [role], permissions: permissionsFor(role) };
}

/** A machine client's access claims: its role's permissions, or exactly its own permission list. */
export function machineClaims(namespace: string, machine: DirectoryMachineClient): Record<string, unknown> {
  if (machine.permissions || !machine.role || !machine.org) {
    return { ...(machine.org ? { org_id: machine.org } : {}), permissions: [...(machine.permissions ?? [])] };
  }
  return accessClaims(namespace, machine.org, machine.role);
}
