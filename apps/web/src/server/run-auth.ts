/**
 * Authentication of agent runners: a Bearer run token minted by the orchestrator for one run.
 * It opens only that run, and only while the run is live (queued or running).
 */
import { verifyRunToken } from '@omakase/auth';
import type { AgentRun, OrgId, RunId, TenantStore } from '@omakase/domain';
import { ApiError } from './api-error';
import { storage } from './storage';

export interface RunCaller {
  run: AgentRun;
  store: TenantStore;
}

function runTokenSecret(): string {
  const secret = process.env.RUN_TOKEN_SECRET;
  if (!secret || secret.length < 32) throw new ApiError('unavailable', 'run tokens are not configured');
  return secret;
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
  if (run.status !== 'queued' && run.status !== 'running') {
    throw new ApiError('forbidden', `the run has ended (${run.status}); its token no longer works`);
  }
  return { run, store };
}
