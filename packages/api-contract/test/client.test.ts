/** The typed client: paths from the registry's templates, JSON in and out, the API's errors as ApiClientError. */
import { OmakaseError } from '@omakase/domain';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiClientError,
  apiRoutes,
  createApiClient,
  type FeatureDto,
  machineRoutes,
  type RouteResponse,
  type RunSpec,
  routes,
  routeUrl,
} from '../src/index';

const featureId = 'feat_01jbz3k8y6m9q2r4t6v8w0x2y4';
const projectId = 'proj_01jbz3k8y6m9q2r4t6v8w0x2y4';

interface Sent {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
  credentials: RequestInit['credentials'];
}

/** A fetch that records each request and answers the next queued response. */
function fakeFetch(...answers: Response[]) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: init.method,
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      signal: init.signal ?? undefined,
      credentials: init.credentials,
    });
    const answer = answers.shift();
    if (!answer) throw new Error('no answer queued');
    return answer;
  };
  return { fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('routeUrl', () => {
  it('fills the template from the registry and encodes each parameter', () => {
    expect(routeUrl('getProject', { params: { projectId } })).toBe(`/api/v1/projects/${projectId}`);
    expect(routeUrl('getFeature', { params: { featureId: '../a/b c?&#é' } })).toBe(
      '/api/v1/features/..%2Fa%2Fb%20c%3F%26%23%C3%A9',
    );
    expect(routeUrl('listProjects')).toBe('/api/v1/projects');
  });

  it('adds the query, leaving out absent values', () => {
    expect(routeUrl('listRunEvents', { params: { runId: 'run_1' }, query: { afterSeq: 3 } })).toBe(
      '/api/v1/runs/run_1/events?afterSeq=3',
    );
    expect(routeUrl('streamProject', { params: { projectId }, query: { lastEventId: '12-3 &x' } })).toBe(
      `/api/v1/projects/${projectId}/stream?lastEventId=12-3+%26x`,
    );
    expect(routeUrl('streamProject', { params: { projectId }, query: { lastEventId: undefined } })).toBe(
      `/api/v1/projects/${projectId}/stream`,
    );
  });

  it('refuses to build a path without its parameter', () => {
    expect(() => routeUrl('getFeature', { params: { featureId: '' } })).toThrow(/featureId/);
  });

  it('covers every route in the registry (user and machine)', () => {
    expect(Object.keys(apiRoutes).sort()).toEqual(
      [...Object.keys(routes), ...Object.keys(machineRoutes)].sort(),
    );
  });
});

describe('createApiClient', () => {
  it('sends the route’s method to baseUrl + path, with JSON body and headers', async () => {
    const { fetch, sent } = fakeFetch(json(200, { id: featureId }));
    const api = createApiClient({
      baseUrl: 'https://api.example.com/',
      fetch,
      headers: { authorization: 'Bearer t' },
      credentials: 'same-origin',
    });
    const signal = AbortSignal.timeout(5_000);
    const answer = await api.call(
      'updateFeature',
      { params: { featureId }, body: { priority: 2 } },
      { signal, headers: { 'x-request-id': 'r1' } },
    );
    expect(answer).toEqual({ id: featureId });
    expect(sent).toEqual([
      {
        url: `https://api.example.com/api/v1/features/${featureId}`,
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t', 'x-request-id': 'r1' },
        body: { priority: 2 },
        signal,
        credentials: 'same-origin',
      },
    ]);
  });

  it('sends no body or content type without a body, and the query string', async () => {
    const { fetch, sent } = fakeFetch(json(200, { events: [], nextAfterSeq: 0 }));
    await createApiClient({ fetch }).call('listRunEvents', {
      params: { runId: 'run_1' },
      query: { afterSeq: 5, limit: 10 },
    });
    expect(sent[0]).toMatchObject({ url: '/api/v1/runs/run_1/events?afterSeq=5&limit=10', method: 'GET' });
    expect(sent[0]?.headers).toEqual({});
    expect(sent[0]?.body).toBeUndefined();
  });

  it('asks for the headers at each call (a renewed bearer token)', async () => {
    let token = 0;
    const { fetch, sent } = fakeFetch(
      new Response(null, { status: 204 }),
      new Response(null, { status: 204 }),
    );
    const api = createApiClient({ fetch, headers: async () => ({ authorization: `Bearer ${++token}` }) });
    await api.call('leaveOrganization');
    await api.call('leaveOrganization');
    expect(sent.map((s) => [s.method, s.headers.authorization])).toEqual([
      ['POST', 'Bearer 1'],
      ['POST', 'Bearer 2'],
    ]);
  });

  it('resolves 204 (and an empty body) with undefined', async () => {
    const { fetch } = fakeFetch(new Response(null, { status: 204 }), new Response('', { status: 200 }));
    const api = createApiClient({ fetch });
    expect(await api.call('deleteFeature', { params: { featureId } })).toBeUndefined();
    expect(
      await api.call('claimWarmRun', { body: { warmId: `warm_${'0'.repeat(26)}`, waitMs: 1 } }),
    ).toBeUndefined();
  });

  it("throws the API's code, message and field as ApiClientError", async () => {
    const { fetch } = fakeFetch(
      json(422, { error: { code: 'validation_failed', message: 'title: required', field: 'title' } }),
    );
    const error = await createApiClient({ fetch })
      .call('createFeature', { params: { projectId }, body: { title: '' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toBeInstanceOf(OmakaseError);
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'title: required',
      field: 'title',
      retryable: false,
    });
  });

  it('keeps Retry-After, and marks 429 and 5xx retryable', async () => {
    const { fetch } = fakeFetch(
      json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '3' }),
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const api = createApiClient({ fetch });
    await expect(api.call('listProjects')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfterMs: 3000,
      retryable: true,
    });
    // Not the API's JSON (a proxy's page): the status alone.
    await expect(api.call('listProjects')).rejects.toMatchObject({
      status: 502,
      code: 'http_error',
      message: 'Bad Gateway',
      retryable: true,
    });
  });

  it('lets network failures through unchanged', async () => {
    const down = new TypeError('fetch failed');
    const api = createApiClient({ fetch: () => Promise.reject(down) });
    await expect(api.call('listProjects')).rejects.toBe(down);
  });

  it('builds absolute URLs for EventSource and links', () => {
    expect(
      createApiClient({ baseUrl: 'http://h:1//' }).url('listRunEvents', { params: { runId: 'run_9' } }),
    ).toBe('http://h:1/api/v1/runs/run_9/events');
  });
});

/** Checked by tsc (the root project includes packages/*\/test): the registry types every call. */
describe('types', () => {
  it('are derived from the registry', () => {
    expectTypeOf<RouteResponse<'getFeature'>>().toEqualTypeOf<FeatureDto>();
    expectTypeOf<RouteResponse<'getRunSpec'>>().toEqualTypeOf<RunSpec>();
    expectTypeOf<RouteResponse<'deleteFeature'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RouteResponse<'claimWarmRun'>>().toExtend<undefined | { runToken: string }>();

    const api = createApiClient({ fetch: () => Promise.resolve(new Response(null, { status: 204 })) });
    const never = () => {
      // @ts-expect-error a wrong parameter name
      void api.call('getProject', { params: { projectID: projectId } });
      // @ts-expect-error the parameters are required
      void api.call('getProject');
      // @ts-expect-error a body the route's schema does not take
      void api.call('updateFeature', { params: { featureId }, body: { priority: 'high' } });
      // @ts-expect-error no such route
      void api.call('getProjekt');
      // @ts-expect-error a browser redirect is not called with fetch
      void api.call('installLinear');
      // @ts-expect-error a route without a body takes none
      void api.call('leaveOrganization', { body: {} });
      // @ts-expect-error routeUrl needs the route's parameters too
      routeUrl('getFeature', { params: {} });
    };
    expect(typeof never).toBe('function');
  });
});
