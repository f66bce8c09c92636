/** Obtains real tokens from the local issuer: client credentials, and the browser-less code flow. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientCredentialsToken } from '@omakase/auth';
import { DEMO_PASSWORD } from '@omakase/db';
import { importJWK, type JWK, SignJWT } from 'jose';

/** A client-credentials token from the issuer (by default the demo directory's automation client). */
export function machineToken(
  issuer: string,
  audience = 'omakase-api',
  client = { clientId: 'demo-automation', clientSecret: 'demo-secret' },
): Promise<string> {
  return clientCredentialsToken({ tokenUrl: `${issuer}/oauth/token`, audience, ...client }).get();
}

/** authorize → login form → consent → code → token, following redirects with a cookie jar. */
export async function userToken(issuer: string, email: string, appBaseUrl: string): Promise<string> {
  const callback = `${appBaseUrl}/auth/callback`;
  const cookies = new Map<string, string>();
  const query = new URLSearchParams({
    client_id: 'omakase-web',
    response_type: 'code',
    redirect_uri: callback,
    scope: 'openid profile email',
    audience: 'omakase-api',
    state: 'state-1',
    nonce: 'nonce-1',
  });
  let url = new URL(`/authorize?${query}`, issuer);
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop++) {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    init = {};
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      const code = url.href.startsWith(callback) ? url.searchParams.get('code') : null;
      if (code) return exchange(issuer, code, callback);
      continue;
    }
    const action = /<form method="post" action="([^"]+)"/.exec(await res.text())?.[1];
    if (!action) throw new Error(`login flow stopped with status ${res.status}`);
    url = new URL(action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
    };
  }
  throw new Error('too many redirects in the authorization flow');
}

async function exchange(issuer: string, code: string, callback: string): Promise<string> {
  const res = await fetch(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback,
      client_id: 'omakase-web',
      client_secret: 'omakase-web-secret',
    }),
  });
  if (res.status !== 200) throw new Error(`code exchange failed: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Signs with the issuer's own persisted key (to mint e.g. an expired but otherwise genuine token). */
export async function signWithIssuerKey(
  dataDir: string,
  issuer: string,
  claims: Record<string, unknown>,
  opts: { expiresAt: number; audience?: string },
): Promise<string> {
  const stored = JSON.parse(await readFile(join(dataDir, 'issuer-keys.json'), 'utf8')) as {
    jwks: { keys: JWK[] };
  };
  const jwk = stored.jwks.keys[0]!;
  const key = await importJWK(jwk, 'RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid! })
    .setIssuer(`${issuer}/`)
    .setAudience(opts.audience ?? 'omakase-api')
    .setIssuedAt(opts.expiresAt - 3600)
    .setExpirationTime(opts.expiresAt)
    .sign(key);
}
