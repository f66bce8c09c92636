/** A browser-less OpenID Connect client for tests: follows the issuer's redirects with a cookie jar. */
import { expect } from 'vitest';

export const APP = 'http://localhost:3000';
export const CALLBACK = `${APP}/auth/callback`;

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface LoginResult {
  /** The final response: a redirect to the app's callback, or an issuer page. */
  status: number;
  callback?: URL;
  html?: string;
}

/** Runs authorize → login form → consent until the issuer redirects to the app (or stops on a page). */
export async function authorize(
  issuer: string,
  params: Record<string, string>,
  creds: { email: string; password: string },
  jar = new CookieJar(),
): Promise<LoginResult> {
  const query = new URLSearchParams({
    client_id: 'omakase-web',
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid profile email',
    state: 'state-1',
    nonce: 'nonce-1',
    ...params,
  });
  let url = new URL(`/authorize?${query}`, issuer);
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: jar.header() },
    });
    jar.store(res);
    init = {};
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.href.startsWith(CALLBACK)) return { status: res.status, callback: url };
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !action.includes('/login')) return { status: res.status, html };
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(creds).toString(),
    };
  }
  expect.fail('too many redirects in the authorization flow');
}

export async function exchangeCode(issuer: string, code: string): Promise<Record<string, string>> {
  const res = await fetch(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: 'omakase-web',
      client_secret: 'omakase-web-secret',
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}
