/**
 * M2M access tokens by the OAuth client-credentials grant (Auth0 or the local issuer), cached
 * until a minute before they expire; concurrent callers share one token request.
 */
import { OmakaseError } from '@omakase/domain';
import { z } from 'zod';

export interface TokenSource {
  get(): Promise<string>;
  /** Drops the cached token (after a 401: it was revoked, or the signing key rotated). */
  invalidate(): void;
}

export interface ClientCredentials {
  /** The issuer's token endpoint, e.g. `https://<tenant>/oauth/token`. */
  tokenUrl: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const EXPIRY_MARGIN_MS = 60_000;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

export class TokenRequestError extends OmakaseError<'token_request_failed'> {
  override readonly name = 'TokenRequestError';
  constructor(
    /** The token endpoint's HTTP status (0: it could not be reached). */
    readonly status: number,
    message: string,
  ) {
    super('token_request_failed', message);
  }
}

export function clientCredentialsToken(opts: ClientCredentials): TokenSource {
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function request(): Promise<string> {
    const response = await doFetch(opts.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        audience: opts.audience,
      }),
    }).catch((error: Error) => {
      throw new TokenRequestError(0, `token endpoint unreachable: ${error.message}`);
    });
    const body: unknown = await response.json().catch(() => null);
    const parsed = TokenResponse.safeParse(body);
    if (!response.ok || !parsed.success) {
      const description = (body as { error_description?: unknown } | null)?.error_description;
      throw new TokenRequestError(
        response.status,
        `token request failed: ${typeof description === 'string' ? description : `${response.status} ${response.statusText}`}`,
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? 86_400) * 1000;
    cached = {
      token: parsed.data.access_token,
      expiresAt: now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
    };
    return parsed.data.access_token;
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
