/**
 * The orchestrator's request for a run token, just before it launches the run. Its M2M access
 * token carries `runs:mint` and no organisation (it serves every org), so the body names the
 * run's org and the run is looked up under it: a wrong pair is a 404, like any foreign id.
 */
import { machineRoutes } from '@omakase/api-contract';
import { RUN_MINT_PERMISSION, requireMachinePermission } from '@omakase/auth';
import type { OrgId, RunId } from '@omakase/domain';
import { ApiError, fromZodError } from './api-error';
import { readJsonBody } from './body';
import { resolvePrincipal } from './caller';
import { isLive, issueRunToken } from './run-auth';
import { storage } from './storage';
import { errorResponse } from './with-api';

const route = machineRoutes.mintRunToken;

export async function mintRunTokenFor(
  request: Request,
  params: Promise<Record<string, unknown>>,
): Promise<Response> {
  try {
    requireMachinePermission(await resolvePrincipal(request), RUN_MINT_PERMISSION);
    const path = route.params.safeParse(await params);
    if (!path.success) throw fromZodError(path.error);
    const body = route.body.safeParse(await readJsonBody(request, 1024));
    if (!body.success) throw fromZodError(body.error);

    const run = await storage()
      .forOrg(body.data.orgId as OrgId)
      .runs.get(path.data.runId as RunId);
    if (!run) throw new ApiError('not_found', 'run not found in that organisation');
    if (!isLive(run))
      throw new ApiError('conflict', `the run has ended (${run.status}); no token is issued for it`);
    return Response.json(await issueRunToken(run), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
