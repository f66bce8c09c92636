/** Route wrapper for the runner-facing endpoints: run-token auth, body validation, JSON errors. */

import type { MachineRouteSpec } from '@omakase/api-contract';
import { processRedactors } from '@omakase/secrets';
import type { z } from 'zod';
import { fromZodError } from './api-error';
import { readJsonBody } from './body';
import { type RunCaller, resolveRunCaller } from './run-auth';
import { RunEventsRateLimited } from './runner-event-limits';
import { storableJson } from './security/storable-json';
import { ensureOrgRedaction } from './security/vault';
import { errorResponse } from './with-api';

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

type RunRoute = MachineRouteSpec & { credential: 'run-token' };
type BodyOf<R> = R extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;

export interface WithRunOptions {
  /** Byte cap of the request body (read before parsing); 2 MiB unless given. */
  maxBodyBytes?: () => number;
}

export function withRun<R extends RunRoute>(
  route: R,
  handler: (ctx: RunCaller & { body: BodyOf<R> }) => Promise<unknown>,
  options: WithRunOptions = {},
): (request: Request, context: RouteContext) => Promise<Response> {
  const body = route.body;
  return async (request, context) => {
    try {
      const { runId } = await context.params;
      const caller = await resolveRunCaller(request, String(runId));
      let parsed: unknown;
      if (body) {
        const raw = await readJsonBody(request, options.maxBodyBytes?.() ?? 2 * 1024 * 1024);
        const result = body.safeParse(raw);
        if (!result.success) throw fromZodError(result.error);
        // Run events and results never store the org's secret values, even if an agent echoed one;
        // only this org's values apply (another tenant's never blank text here). NUL and lone
        // surrogates, which Postgres refuses, become U+FFFD first (security/storable-json.ts).
        await ensureOrgRedaction(caller.run.orgId);
        parsed = processRedactors().forOrg(caller.run.orgId).redact(storableJson(result.data));
      }
      const value = await handler({ ...caller, body: parsed as never });
      // Per-run answers (one of them a credential): never stored by a cache on the way.
      return Response.json(value ?? { ok: true }, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      if (error instanceof RunEventsRateLimited) {
        return Response.json(error.toBody(), {
          status: 429,
          headers: { 'retry-after': String(error.retryAfterSeconds) },
        });
      }
      return errorResponse(error);
    }
  };
}
