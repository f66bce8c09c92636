/**
 * The local identity directory: organisations, users and machine clients that the local
 * OpenID issuer (standing in for Auth0) serves and that the demo seed mirrors in the database.
 * `externalId` is the Auth0 organisation id carried in the `org_id` claim.
 */
import type { Role } from '@omakase/domain';

export interface DirectoryOrg {
  externalId: string;
  name: string;
}

export interface DirectoryUser {
  sub: string;
  email: string;
  name: string;
  password: string;
  memberships: { org: string; role: Role }[];
}

export interface DirectoryMachineClient {
  clientId: string;
  clientSecret: string;
  /** Absent for a platform client (the orchestrator): its tokens carry no `org_id`. */
  org?: string;
  /** The role its tokens carry; machine clients act with this role in their org. */
  role?: Role;
  /** Instead of a role: exactly these permissions (e.g. a warm runner's `runs:claim`). */
  permissions?: string[];
}

export const DEMO_PASSWORD = 'demo';

export const DEMO_DIRECTORY = {
  orgs: [
    { externalId: 'org_demo', name: 'Demo' },
    { externalId: 'org_other', name: 'Other' },
    { externalId: 'org_sandbox', name: 'Sandbox' },
  ] satisfies DirectoryOrg[],
  users: [
    {
      sub: 'local|owner',
      email: 'owner@demo.local',
      name: 'Olivia Owner',
      password: DEMO_PASSWORD,
      memberships: [
        { org: 'org_demo', role: 'owner' },
        { org: 'org_sandbox', role: 'admin' },
      ],
    },
    {
      sub: 'local|admin',
      email: 'admin@demo.local',
      name: 'Adam Admin',
      password: DEMO_PASSWORD,
      memberships: [{ org: 'org_demo', role: 'admin' }],
    },
    {
      sub: 'local|member',
      email: 'member@demo.local',
      name: 'Mia Member',
      password: DEMO_PASSWORD,
      memberships: [{ org: 'org_demo', role: 'member' }],
    },
    {
      sub: 'local|viewer',
      email: 'viewer@demo.local',
      name: 'Victor Viewer',
      password: DEMO_PASSWORD,
      memberships: [{ org: 'org_demo', role: 'viewer' }],
    },
    {
      sub: 'local|other',
      email: 'other@other.local',
      name: 'Oscar Other',
      password: DEMO_PASSWORD,
      memberships: [{ org: 'org_other', role: 'owner' }],
    },
  ] satisfies DirectoryUser[],
  machineClients: [
    { clientId: 'demo-automation', clientSecret: 'demo-secret', org: 'org_demo', role: 'member' },
    // Warm runner tasks of org_demo's pool: may claim that org's runs and nothing else.
    {
      clientId: 'demo-warm-runner',
      clientSecret: 'demo-warm-secret',
      org: 'org_demo',
      permissions: ['runs:claim'],
    },
  ] satisfies DirectoryMachineClient[],
} as const;
