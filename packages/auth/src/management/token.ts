/**
 * Management API access tokens by the client-credentials grant, cached until shortly before they
 * expire; concurrent callers share one token request.
 */
export interface TokenSource {
  get(): Promise<string>;
  /** Drops the cached token (after a 401). */
  invalidate(): void;
}

const EXPIRY_MARGIN_MS = 60_000;

export function clientCredentialsToken(opts: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  now?: () => number;
}): TokenSource {
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function request(): Promise<string> {
    const response = await opts.fetch(`${opts.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        audience: `${opts.baseUrl}/api/v2/`,
      }),
    });
    const body = (await response.json().catch(() => null)) as {
      access_token?: string;
      expires_in?: number;
      error_description?: string;
    } | null;
    if (!response.ok || !body?.access_token) {
      throw new Auth0ManagementError(
        response.status,
        `token request failed: ${body?.error_description ?? response.statusText}`,
      );
    }
    const lifetimeMs = (body.expires_in ?? 86_400) * 1000;
    cached = { token: body.access_token, expiresAt: now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS) };
    return body.access_token;
  }

  return {
    get() {
      if (cached && now() < cached.expiresAt) return Promise.resolve(cached.token);
      inFlight ??= request().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    invalidate() {
      cached = null;
    },
  };
}

export class Auth0ManagementError extends Error {
  override readonly name = 'Auth0ManagementError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
