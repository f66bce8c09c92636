/**
 * The authorisation matrix: every API entry point and how it authenticates. `org(minRole)`:
 * members of the token's org from `minRole` up; `user`: any signed-in user; `run`: a run token;
 * `signature`: a webhook signature; `machine`: an M2M token with a machine-only permission (users
 * get 403); `public`: anyone. A route on disk without an entry fails.
 */
import type { Role } from '@omakase/domain';

export type Access =
  | { kind: 'org'; minRole: Role }
  | { kind: 'user' }
  | { kind: 'run' }
  | { kind: 'machine' }
  | { kind: 'signature' }
  | { kind: 'public' };

const org = (minRole: Role): Access => ({ kind: 'org', minRole });
const run: Access = { kind: 'run' };

export const MATRIX: Record<string, Access> = {
  'GET /api/health': { kind: 'public' },
  'GET /api/v1/openapi.json': { kind: 'public' },
  'GET /api/v1/projects': org('viewer'),
  'POST /api/v1/projects': org('admin'),
  'GET /api/v1/projects/{projectId}': org('viewer'),
  'PATCH /api/v1/projects/{projectId}': org('admin'),
  'DELETE /api/v1/projects/{projectId}': org('admin'),
  'GET /api/v1/projects/{projectId}/features': org('viewer'),
  'GET /api/v1/projects/{projectId}/board': org('viewer'),
  'GET /api/v1/projects/{projectId}/stream': org('viewer'),
  'GET /api/v1/features/{featureId}/diff': org('viewer'),
  'POST /api/v1/projects/{projectId}/features': org('member'),
  'POST /api/v1/projects/{projectId}/start': org('member'),
  'POST /api/v1/projects/{projectId}/pause': org('member'),
  'POST /api/v1/projects/{projectId}/stop': org('member'),
  'GET /api/v1/features/{featureId}': org('viewer'),
  'PATCH /api/v1/features/{featureId}': org('member'),
  'DELETE /api/v1/features/{featureId}': org('member'),
  'POST /api/v1/features/{featureId}/start': org('member'),
  'POST /api/v1/features/{featureId}/stop': org('member'),
  'POST /api/v1/features/{featureId}/retry': org('member'),
  'POST /api/v1/features/{featureId}/answer': org('member'),
  'GET /api/v1/features/{featureId}/runs': org('viewer'),
  'GET /api/v1/runs/{runId}/events': org('viewer'),
  'POST /api/v1/runs/{runId}/events': run,
  'GET /api/v1/runs/{runId}/spec': run,
  'GET /api/v1/runs/{runId}/credentials': run,
  'POST /api/v1/runs/{runId}/result': run,
  'POST /api/v1/runs/{runId}/token': { kind: 'machine' },
  'POST /api/v1/runner/claim': { kind: 'machine' },
  'GET /api/v1/members': org('viewer'),
  'PATCH /api/v1/members/{memberId}': org('owner'),
  'DELETE /api/v1/members/{memberId}': org('owner'),
  'POST /api/v1/members/leave': org('viewer'),
  'POST /api/v1/members/auth0-sync': org('owner'),
  'GET /api/v1/work/dead': org('admin'),
  'POST /api/v1/work/dead/{workItemId}/retry': org('admin'),
  'GET /api/v1/invitations': org('owner'),
  'POST /api/v1/invitations': org('owner'),
  'DELETE /api/v1/invitations/{invitationId}': org('owner'),
  'POST /api/v1/invitations/accept': { kind: 'user' },
  'GET /api/v1/secrets': org('admin'),
  'POST /api/v1/secrets': org('admin'),
  'DELETE /api/v1/secrets/{name}': org('admin'),
  'GET /api/v1/audit': org('admin'),
  'GET /api/integrations/linear/install': org('admin'),
  'GET /api/integrations/linear/callback': org('admin'),
  'POST /api/integrations/linear/disconnect': org('admin'),
  'POST /api/webhooks/linear': { kind: 'signature' },
};

export const PRINCIPALS = ['owner', 'admin', 'member', 'viewer', 'anonymous', 'foreign'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];
