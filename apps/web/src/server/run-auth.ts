/**
 * Run tokens: issued here only (the signing key never leaves the API) for one run, to the
 * orchestrator before a launch or to a warm runner claiming the run. A run token opens only its
 * run, and only while the run is live (queued or running).
 */
import { mintRunToken, verifyRunToken } from '@omakase/auth';
import { type AgentRun, isLiveRun, type OrgId, type RunId, type TenantStore } from '@omakase/domain';
import { ApiError } from './api-error';
import { env } from './env';
import { storage } from './storage';

export interface RunCaller {
  run: AgentRun;
  store: TenantStore;
}

function runTokenSecret(): string {
  const secret = env().RUN_TOKEN_SECRET;
  if (!secret) throw new ApiError('unavailable', 'run tokens are not configured');
  return secret;
}

export const isLive = (run: AgentRun) => isLiveRun(run);

/**
 * Issued as the run starts; four times the runner's default 30-minute limit. The token stops
 * working anyway once the run ends.
 */
const RUN_TOKEN_TTL_SECONDS = 2 * 3600;

export async function issueRunToken(run: AgentRun): Promise<{ runToken: string; expiresAt: string }> {
  const runToken = await mintRunToken(
    { runId: run.id, orgId: run.orgId, featureId: run.featureId },
    runTokenSecret(),
    RUN_TOKEN_TTL_SECONDS,
  );
  return { runToken, expiresAt: new Date(Date.now() + RUN_TOKEN_TTL_SECONDS * 1000).toISOString() };
}

export async function resolveRunCaller(request: Request, runId: string): Promise<RunCaller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) throw new ApiError('unauthenticated', 'a run token is required');
  const claims = await verifyRunToken(match[1]!, runTokenSecret());
  if (!claims) throw new ApiError('invalid_token', 'the run token is invalid or expired');
  if (claims.runId !== runId) throw new ApiError('forbidden', 'the run token belongs to another run');
  const store = storage().forOrg(claims.orgId as OrgId);
  const run = await store.runs.get(runId as RunId);
  if (!run) throw new ApiError('not_found', 'run not found');
  if (!isLive(run)) {
    throw new ApiError('forbidden', `the run has ended (${run.status}); its token no longer works`);
  }
  return { run, store };
}
