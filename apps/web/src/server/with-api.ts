/**
 * The one wrapper every /api/v1 handler goes through: rate limit (per client IP) → CSRF origin
 * check → authenticate → rate limit (per org) → authorise → validate params/body → run in the
 * caller's tenant store (writes and their audit entry in one transaction) → vendor calls the
 * handler deferred with `afterCommit` → JSON.
 * Every failure becomes `{"error": {...}}` with the right status; bad input never yields a 500.
 */
import type { RouteSpec } from '@omakase/api-contract';
import { AuthError, type Principal } from '@omakase/auth';
import { OmakaseError, type TenantStore } from '@omakase/domain';
import type { z } from 'zod';
import { ApiError, fromZodError, toApiError } from './api-error';
import { readJsonBody } from './body';
import { type Caller, resolveCaller, resolvePrincipal } from './caller';
import { env } from './env';
import { logger } from './logger';
import { assertAllowed } from './policy';
import { auditOperation } from './security/audit';
import { assertSameOrigin } from './security/csrf';
import { clientIp, tooManyRequests } from './security/rate-limit';
import { takeShared } from './security/shared-rate-limit';
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

export interface UserApiContext<R extends RouteSpec> {
  request: Request;
  /** A signed-in user, whatever organisation (if any) the token is for. */
  principal: Principal;
  body: Out<R['body']>;
}

/**
 * What a handler returns when the answer needs a vendor (Auth0) after our change: `finish` runs
 * once the request's transaction has committed, so no transaction sits open across a vendor call
 * (an outage would hold its connection and locks for as long as the call hangs).
 */
export class AfterCommit<T> {
  constructor(readonly finish: () => Promise<T>) {}
}
export const afterCommit = <T>(finish: () => Promise<T>) => new AfterCommit(finish);

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
type Handler = (request: Request, context: RouteContext) => Promise<Response>;

class RateLimited extends OmakaseError<'rate_limited'> {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'rate limited');
  }
}

/** Per key, across every web instance (see shared-rate-limit.ts). */
async function takeToken(key: string): Promise<void> {
  const decision = await takeShared('api', env().API_RATE_LIMIT_PER_MINUTE, key);
  if (!decision.allowed) throw new RateLimited(decision.retryAfterSeconds);
}

/** Checks every request makes before it is authenticated. */
async function guard(request: Request): Promise<void> {
  await takeToken(`ip:${clientIp(request.headers)}`);
  assertSameOrigin(request, env().APP_BASE_URL);
}

export function withApi<R extends RouteSpec>(
  spec: R,
  handler: (ctx: ApiContext<R>) => Promise<unknown>,
): Handler {
  return async (request, context) => {
    try {
      await guard(request);
      const caller = await resolveCaller(request);
      await takeToken(`org:${caller.organization.id}`);
      assertAllowed(caller.role, spec.action);
      const params = parseParams(spec, (await context?.params) ?? {});
      const body = await readBody(spec, request);
      const tenant = storage().forOrg(caller.organization.id);
      const run = (store: TenantStore) => handler({ request, caller, store, params, body } as ApiContext<R>);
      const result =
        spec.method === 'GET'
          ? await run(tenant)
          : await tenant.transaction(async (tx) => {
              const done = await run(tx);
              await auditOperation(tx, spec.operationId, caller, params);
              return done;
            });
      return toResponse(spec, result instanceof AfterCommit ? await result.finish() : result);
    } catch (error) {
      return errorResponse(error, spec);
    }
  };
}

/** For `authentication: 'user'` routes (accepting an invitation): a signed-in user, no org needed. */
export function withUserApi<R extends RouteSpec>(
  spec: R,
  handler: (ctx: UserApiContext<R>) => Promise<unknown>,
): Handler {
  return async (request) => {
    try {
      await guard(request);
      const principal = await resolvePrincipal(request);
      if (principal.kind !== 'user') throw new AuthError('forbidden', 'only a signed-in user can do this');
      await takeToken(`user:${principal.subject}`);
      const body = await readBody(spec, request);
      return toResponse(spec, await handler({ request, principal, body } as UserApiContext<R>));
    } catch (error) {
      return errorResponse(error, spec);
    }
  };
}

function toResponse(spec: RouteSpec, result: unknown): Response {
  if (result instanceof Response) return result; // streams (SSE) answer for themselves
  if (spec.status === 204) return new Response(null, { status: 204 });
  return Response.json(result, { status: spec.status });
}

async function readBody<R extends RouteSpec>(spec: R, request: Request): Promise<Out<R['body']>> {
  if (!spec.body) return undefined as Out<R['body']>;
  return parseBody(spec.body, await readJsonBody(request, env().API_MAX_BODY_BYTES)) as Out<R['body']>;
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
  if (error instanceof RateLimited) return tooManyRequests(error.retryAfterSeconds);
  const apiError = toApiError(error);
  if (apiError.status >= 500) {
    logger.error({ err: error, route: spec?.operationId }, 'request failed');
  }
  const headers: HeadersInit =
    apiError.status === 401 ? { 'www-authenticate': `Bearer error="${apiError.code}"` } : {};
  return Response.json(apiError.toBody(), { status: apiError.status, headers });
}
