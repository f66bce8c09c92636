/**
 * The one wrapper every /api/v1 handler goes through: authenticate → authorise → validate
 * params/body → run in the caller's tenant store (writes in one transaction) → JSON.
 * Every failure becomes `{"error": {...}}` with the right status; bad input never yields a 500.
 */
import type { RouteSpec } from '@omakase/api-contract';
import type { TenantStore } from '@omakase/domain';
import type { z } from 'zod';
import { ApiError, fromZodError, toApiError } from './api-error';
import { readJsonBody } from './body';
import { type Caller, resolveCaller } from './caller';
import { env } from './env';
import { logger } from './logger';
import { assertAllowed } from './policy';
import { storage } from './storage';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiContext<R extends RouteSpec> {
  request: Request;
  caller: Caller;
  /** Bound to the caller's organisation; a transaction for writes. */
  store: TenantStore;
  params: Out<R['params']>;
  body: Out<R['body']>;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export function withApi<R extends RouteSpec>(
  spec: R,
  handler: (ctx: ApiContext<R>) => Promise<unknown>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const caller = await resolveCaller(request);
      assertAllowed(caller.role, spec.action);
      const params = parseParams(spec, (await context?.params) ?? {});
      const body = spec.body
        ? parseBody(spec.body, await readJsonBody(request, env().API_MAX_BODY_BYTES))
        : undefined;
      const tenant = storage().forOrg(caller.organization.id);
      const run = (store: TenantStore) => handler({ request, caller, store, params, body } as ApiContext<R>);
      const result = spec.method === 'GET' ? await run(tenant) : await tenant.transaction(run);
      if (result instanceof Response) return result; // streams (SSE) answer for themselves
      if (spec.status === 204) return new Response(null, { status: 204 });
      return Response.json(result, { status: spec.status });
    } catch (error) {
      return errorResponse(error, spec);
    }
  };
}

/** Malformed path ids are indistinguishable from unknown ones: 404 `not_found`. */
function parseParams<R extends RouteSpec>(spec: R, raw: Record<string, unknown>): Out<R['params']> {
  if (!spec.params) return undefined as Out<R['params']>;
  const parsed = spec.params.safeParse(raw);
  if (!parsed.success) throw new ApiError('not_found', 'resource not found');
  return parsed.data as Out<R['params']>;
}

function parseBody(schema: z.ZodType, raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ApiError('validation_failed', 'request body must be a JSON object');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

export function errorResponse(error: unknown, spec?: RouteSpec): Response {
  const apiError = toApiError(error);
  if (apiError.status >= 500) {
    logger.error({ err: error, route: spec?.operationId }, 'request failed');
  }
  const headers: HeadersInit =
    apiError.status === 401 ? { 'www-authenticate': `Bearer error="${apiError.code}"` } : {};
  return Response.json(apiError.toBody(), { status: apiError.status, headers });
}
