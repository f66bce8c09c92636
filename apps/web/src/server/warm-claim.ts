/**
 * The warm runner's long-poll: an M2M access token with the `runs:claim` permission, for its own
 * organisation only, waits (≤ 25 s) for the orchestrator to hand its task one run, then gets
 * that run's id, plain configuration and a freshly minted run token. Nothing here can reach
 * another org's rows: the warm row and the run are both looked up under the token's org.
 */
import { type ClaimedRun, machineRoutes } from '@omakase/api-contract';
import { AuthError, RUNNER_CLAIM_PERMISSION, requireMachinePermission } from '@omakase/auth';
import { createWarmPoolStore, type WarmPoolStore } from '@omakase/db';
import { ApiError, fromZodError } from './api-error';
import { readJsonBody } from './body';
import { resolvePrincipal } from './caller';
import { issueRunToken } from './run-auth';
import { database, storage } from './storage';
import { errorResponse } from './with-api';

const holder = globalThis as typeof globalThis & { __omakaseWarmPool?: WarmPoolStore };

function warmPool(): WarmPoolStore {
  holder.__omakaseWarmPool ??= createWarmPoolStore(database());
  return holder.__omakaseWarmPool;
}

export async function claimWarmRun(request: Request): Promise<Response> {
  try {
    const principal = await resolvePrincipal(request);
    requireMachinePermission(principal, RUNNER_CLAIM_PERMISSION);
    if (!principal.orgExternalId) throw new AuthError('forbidden', 'the token carries no organisation');
    const organization = await storage().organizations.findByExternalId(principal.orgExternalId);
    if (!organization) throw new AuthError('forbidden', 'the organisation is not provisioned');
    const parsed = machineRoutes.claimWarmRun.body.safeParse(await readJsonBody(request, 4096));
    if (!parsed.success) throw fromZodError(parsed.error);
    const { warmId, waitMs } = parsed.data;

    const claim = await warmPool().awaitClaim(organization.id, warmId, waitMs, request.signal);
    if (claim.state === 'unknown')
      throw new ApiError('not_found', 'no such warm runner in your organisation');
    if (claim.state === 'waiting') return new Response(null, { status: 204 });
    const run = await storage().forOrg(organization.id).runs.get(claim.runId);
    if (!run) throw new ApiError('not_found', 'the assigned run no longer exists');
    const { runToken } = await issueRunToken(run);
    return Response.json({ runId: run.id, runToken, env: claim.env } satisfies ClaimedRun);
  } catch (error) {
    return errorResponse(error);
  }
}
