/** Real tokens from the local issuer for the matrix's principals (foreign = owner of org_other). */

import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack } from '../support/stack';
import type { PrincipalName } from './matrix';

const EMAILS: Record<Exclude<PrincipalName, 'anonymous'>, string> = {
  owner: 'owner@demo.local',
  admin: 'admin@demo.local',
  member: 'member@demo.local',
  viewer: 'viewer@demo.local',
  foreign: 'other@other.local',
};

export async function principalTokens(stack: ApiStack): Promise<Record<PrincipalName, string | undefined>> {
  const names = Object.keys(EMAILS) as (keyof typeof EMAILS)[];
  const tokens = await Promise.all(names.map((n) => userToken(stack.issuer.url, EMAILS[n], APP_BASE_URL)));
  return { ...Object.fromEntries(names.map((n, i) => [n, tokens[i]])), anonymous: undefined } as Record<
    PrincipalName,
    string | undefined
  >;
}

/** Calls a handler and reads only the status (streams are cancelled, not drained). */
export async function statusOf(
  handler: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>,
  method: string,
  path: string,
  opts: { token?: string; params: Record<string, string>; body?: unknown },
): Promise<number> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const url = new URL(
    path.replace(/\{(\w+)\}/g, (_, k: string) => opts.params[k] ?? k),
    APP_BASE_URL,
  );
  const response = await handler(
    new Request(url, { method, headers, body: hasBody ? JSON.stringify(opts.body ?? {}) : undefined }),
    { params: Promise.resolve(opts.params) },
  );
  await response.body?.cancel();
  return response.status;
}
