/**
 * A typed HTTP client derived from the route registry: the browser's components, the agent
 * runner and the orchestrator call the API through it, so a path, a parameter, a body or a
 * response shape exists once (in the registry) and a change there is a type error at every caller.
 *
 *   const api = createApiClient({ baseUrl, headers: async () => ({ authorization: `Bearer ${token}` }) });
 *   const feature = await api.call('updateFeature', { params: { featureId }, body: { priority: 1 } });
 *
 * Failures (any non-2xx answer) throw ApiClientError with the API's `{ error: { code, message, field } }`.
 * Network failures (fetch rejecting, an abort) propagate unchanged.
 */
import { OmakaseError } from '@omakase/domain';
import type { z } from 'zod';
import { type MachineRouteSpec, machineRoutes } from './machine-routes';
import { type RouteSpec, routes } from './routes';

/** Every route a client can address: the user registry and the machine routes. */
export const apiRoutes = { ...routes, ...machineRoutes } as const;
type ApiRoutes = typeof apiRoutes;
export type ApiRouteName = keyof ApiRoutes;

type ParamsInput<R> = R extends { params: infer P extends z.ZodType }
  ? { params: z.input<P> }
  : { params?: undefined };
type QueryInput<R> = R extends { query: infer Q extends z.ZodType }
  ? // biome-ignore lint/complexity/noBannedTypes: "every field optional" is exactly `{} extends T`
    {} extends z.input<Q>
    ? { query?: z.input<Q> }
    : { query: z.input<Q> }
  : { query?: undefined };
type BodyInput<R> = R extends { body: infer B extends z.ZodType }
  ? { body: z.input<B> }
  : { body?: undefined };

/** What a call of route K sends: its path parameters, query and JSON body, as the schemas accept them. */
export type RouteInput<K extends ApiRouteName> = ParamsInput<ApiRoutes[K]> &
  QueryInput<ApiRoutes[K]> &
  BodyInput<ApiRoutes[K]>;
/** Where a route is: path parameters and query (for EventSource, links and redirects). */
export type RouteLocation<K extends ApiRouteName> = ParamsInput<ApiRoutes[K]> & QueryInput<ApiRoutes[K]>;

/** What a successful call of route K answers: the response schema's output; nothing for 204. */
export type RouteResponse<K extends ApiRouteName> = ApiRoutes[K] extends { status: 204 }
  ? undefined
  : ApiRoutes[K] extends { response: infer S extends z.ZodType }
    ? z.output<S> | (ApiRoutes[K] extends { mayAnswerNoContent: true } ? undefined : never)
    : undefined;

/** Routes answered with JSON or 204: not browser redirects (302) nor bare event streams. */
export type CallableRouteName = {
  [K in ApiRouteName]: ApiRoutes[K] extends { status: 302 }
    ? never
    : ApiRoutes[K] extends { status: 204 } | { response: z.ZodType }
      ? K
      : never;
}[ApiRouteName];

// biome-ignore lint/complexity/noBannedTypes: "nothing required" is exactly `{} extends T`
type Optional<T> = {} extends T ? true : false;
type CallArgs<K extends ApiRouteName> =
  Optional<RouteInput<K>> extends true
    ? [input?: RouteInput<K>, options?: CallOptions]
    : [input: RouteInput<K>, options?: CallOptions];
type LocationArgs<K extends ApiRouteName> =
  Optional<RouteLocation<K>> extends true ? [location?: RouteLocation<K>] : [location: RouteLocation<K>];

export type HeaderMap = Record<string, string>;
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin (and optional prefix) of the API; '' (default) calls relative to the page. */
  baseUrl?: string;
  /** Defaults to the global fetch, looked up at each call. */
  fetch?: FetchLike;
  /** Sent with every call; a function is called for each (a bearer token that may be renewed). */
  headers?: HeaderMap | (() => HeaderMap | Promise<HeaderMap>);
  /** Passed to fetch (the browser: 'same-origin' sends the session cookie). */
  credentials?: RequestInit['credentials'];
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: HeaderMap;
}

/** A non-2xx answer: its status, and the API's error code, message and field when it sent them. */
export class ApiClientError extends OmakaseError {
  readonly field?: string;
  readonly details?: Record<string, unknown>;
  /** From `Retry-After` (seconds), when the API asked to wait. */
  readonly retryAfterMs?: number;

  constructor(
    readonly status: number,
    code: string,
    message: string,
    extra: {
      field?: string;
      details?: Record<string, unknown>;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    const { cause, ...rest } = extra;
    super(code, message, {
      retryable: status === 408 || status === 429 || status >= 500,
      ...(cause === undefined ? {} : { cause }),
    });
    if (rest.field !== undefined) this.field = rest.field;
    if (rest.details !== undefined) this.details = rest.details;
    if (rest.retryAfterMs !== undefined) this.retryAfterMs = rest.retryAfterMs;
  }
}

type AnySpec = RouteSpec | MachineRouteSpec;
const specOf = (name: ApiRouteName): AnySpec => apiRoutes[name] as AnySpec;

function fillPath(name: ApiRouteName, params: Record<string, unknown> | undefined): string {
  return specOf(name).path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null || value === '')
      throw new TypeError(`${name}: missing path parameter ${key}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The path (and query) of a route, from the registry's template: `/api/v1/runs/run_1/events?afterSeq=3`. */
export function routeUrl<K extends ApiRouteName>(name: K, ...[location]: LocationArgs<K>): string {
  const { params, query } = (location ?? {}) as {
    params?: Record<string, unknown>;
    query?: Record<string, unknown>;
  };
  return fillPath(name, params) + queryString(query);
}

/** `Retry-After` in seconds (the only form the API sends). */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

async function errorOf(response: Response): Promise<ApiClientError> {
  let error: { code?: unknown; message?: unknown; field?: unknown; details?: unknown } | undefined;
  try {
    error = ((await response.json()) as { error?: typeof error } | null)?.error;
  } catch {
    // Not the API's JSON error (a proxy's page): the status alone tells.
  }
  const wait = retryAfterMs(response);
  return new ApiClientError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`,
    {
      ...(typeof error?.field === 'string' ? { field: error.field } : {}),
      ...(error?.details && typeof error.details === 'object'
        ? { details: error.details as Record<string, unknown> }
        : {}),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    },
  );
}

export interface ApiClient {
  /** Calls a route; resolves with its (typed) answer, rejects with ApiClientError on a non-2xx. */
  call<K extends CallableRouteName>(name: K, ...args: CallArgs<K>): Promise<RouteResponse<K>>;
  /** The absolute (with `baseUrl`) URL of a route. */
  url<K extends ApiRouteName>(name: K, ...args: LocationArgs<K>): string;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  // Called unbound: a browser's fetch refuses `this` being anything but the window.
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));

  const url = <K extends ApiRouteName>(name: K, ...args: LocationArgs<K>) => base + routeUrl(name, ...args);

  async function call<K extends CallableRouteName>(name: K, ...args: CallArgs<K>) {
    const [input, callOptions] = args as [
      { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } | undefined,
      CallOptions | undefined,
    ];
    const spec = specOf(name);
    const target = base + fillPath(name, input?.params) + queryString(input?.query);
    const shared = typeof options.headers === 'function' ? await options.headers() : options.headers;
    const hasBody = input?.body !== undefined;
    const init: RequestInit = {
      method: spec.method,
      headers: {
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...shared,
        ...callOptions?.headers,
      },
    };
    if (hasBody) init.body = JSON.stringify(input.body);
    if (callOptions?.signal) init.signal = callOptions.signal;
    if (options.credentials) init.credentials = options.credentials;

    const response = await doFetch(target, init);
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as RouteResponse<K>;
    const text = await response.text();
    if (!text) return undefined as RouteResponse<K>;
    try {
      return JSON.parse(text) as RouteResponse<K>;
    } catch (cause) {
      throw new ApiClientError(response.status, 'invalid_response', `${name}: the answer is not JSON`, {
        cause,
      });
    }
  }

  return { call, url };
}
