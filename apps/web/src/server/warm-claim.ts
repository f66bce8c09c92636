/**
 * The warm runner's long-poll: an M2M access token with the `runs:claim` permission, for its own
 * organisation only, waits (≤ 25 s) for the orchestrator to hand its task one run, then gets
 * that run's id, plain configuration and a freshly minted run token. Nothing here can reach
 * another org's rows: the warm row and the run are both looked up under the token's org.
 */
import { type ClaimedRun, machineRoutes } from '@omakase/api-contract';
import { AuthError, mintRunToken, RUNNER_CLAIM_PERMISSION, requireMachinePermission } from '@omakase/auth';
import { createWarmPoolStore, type WarmPoolStore } from '@omakase/db';
import { ApiError, fromZodError } from './api-error';
import { readJsonBody } from './body';
import { resolvePrincipal } from './caller';
import { env } from './env';
import { storage } from './storage';
import { errorResponse } from './with-api';

const holder = globalThis as typeof globalThis & { __omakaseWarmPool?: WarmPoolStore };

function warmPool(): WarmPoolStore {
  holder.__omakaseWarmPool ??= createWarmPoolStore(env().DATABASE_URL, { maxConnections: 2 });
  return holder.__omakaseWarmPool;
}

/** Short-lived: a claimed run starts at once; the runner's own timeout bounds the run. */
const RUN_TOKEN_TTL_SECONDS = 2 * 3600;

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
    const secret = process.env.RUN_TOKEN_SECRET;
    if (!secret || secret.length < 32) throw new ApiError('unavailable', 'run tokens are not configured');
    const runToken = await mintRunToken(
      { runId: run.id, orgId: organization.id, featureId: run.featureId },
      secret,
      RUN_TOKEN_TTL_SECONDS,
    );
    return Response.json({ runId: run.id, runToken, env: claim.env } satisfies ClaimedRun);
  } catch (error) {
    return errorResponse(error);
  }
}
