/** Calls exported Next.js route handlers with real `Request`s, as the framework would. */
import { expect } from 'vitest';
import { APP_BASE_URL } from './stack';

// biome-ignore lint/suspicious/noExplicitAny: response JSON is asserted on, not typed
type Json = Record<string, any>;

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Response | Promise<Response>;

export interface CallOptions {
  token?: string;
  params?: Record<string, string>;
  body?: unknown;
  /** Sent verbatim (e.g. malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(handler: Handler, path: string, opts: CallOptions = {}) {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (payload !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const method = /^(GET|POST|PATCH|DELETE) /.exec(path)?.[1] ?? 'GET';
  const url = new URL(path.replace(/^\w+ /, ''), APP_BASE_URL);
  const response = await handler(new Request(url, { method, headers, body: payload }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? (JSON.parse(text) as Json) : null,
  };
}

/** Asserts the error envelope: status, code and (when given) field. */
export function expectError(
  result: { status: number; json: Json | null },
  status: number,
  code: string,
  field?: string,
) {
  expect({ status: result.status, code: result.json?.error?.code }).toEqual({ status, code });
  expect(typeof result.json?.error?.message).toBe('string');
  if (field !== undefined) expect(result.json?.error?.field).toBe(field);
}
