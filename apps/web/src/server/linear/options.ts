/**
 * What the settings page offers to pick from, read live through the gateway: the workspace's
 * teams, labels and the workflow states of the chosen teams (all teams until some are chosen).
 */
import type { OrgId } from '@omakase/domain';
import {
  createLinearGateway,
  credentialsFor,
  type LinearLabel,
  type LinearTeam,
  type LinearWorkflowState,
} from '@omakase/linear';
import { linearEnv, linearStore, oauthApp, secretBox } from './config';

export type LinearOptions =
  | { ok: true; teams: LinearTeam[]; labels: LinearLabel[]; states: LinearWorkflowState[] }
  | { ok: false; error: string };

export async function linearOptions(orgId: OrgId, teamIds: string[]): Promise<LinearOptions> {
  const gateway = createLinearGateway({
    apiUrl: linearEnv().LINEAR_API_URL,
    credentials: () =>
      credentialsFor({ store: linearStore(), box: secretBox(), oauth: oauthApp() ?? undefined }, orgId),
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
  });
  try {
    const [teams, labels] = await Promise.all([gateway.teams(), gateway.labels()]);
    const chosen = teamIds.length > 0 ? teams.filter((t) => teamIds.includes(t.id)) : teams;
    const states = (await Promise.all(chosen.map((t) => gateway.teamStates(t.id)))).flat();
    return { ok: true, teams, labels, states };
  } catch (error) {
    // Shown on the page (connection health); the page falls back to what is saved.
    return { ok: false, error: (error as Error).message };
  }
}
