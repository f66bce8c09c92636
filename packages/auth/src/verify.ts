/** Access-token verification against the issuer's JWKS: the same path for Auth0 and the local issuer. */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AuthError } from './errors';
import { type Principal, principalFromClaims } from './principal';

export interface VerifyOptions {
  /** `https://tenant.auth0.com`, `tenant.auth0.com` or `http://localhost:4000`. */
  issuerUrl: string;
  audience: string;
  claimsNamespace?: string;
  /** Accepted clock skew in seconds. */
  clockTolerance?: number;
}

/** Auth0 issues `iss` with a trailing slash; accept domains without a scheme like the SDK does. */
export function normalizeIssuer(issuerUrl: string): string {
  const withScheme = /^https?:\/\//.test(issuerUrl) ? issuerUrl : `https://${issuerUrl}`;
  return withScheme.endsWith('/') ? withScheme : `${withScheme}/`;
}

const jwksByIssuer = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(issuer: string) {
  let jwks = jwksByIssuer.get(issuer);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', issuer), { cooldownDuration: 30_000 });
    jwksByIssuer.set(issuer, jwks);
  }
  return jwks;
}

export async function verifyAccessToken(token: string, opts: VerifyOptions): Promise<Principal> {
  const issuer = normalizeIssuer(opts.issuerUrl);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, jwksFor(issuer), {
      issuer,
      audience: opts.audience,
      clockTolerance: opts.clockTolerance ?? 5,
      algorithms: ['RS256', 'PS256', 'ES256'],
    }));
  } catch (error) {
    if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
      throw new AuthError('unavailable', 'the token issuer could not be reached');
    }
    throw new AuthError('invalid_token', describe(error));
  }
  const principal = principalFromClaims(payload, { claimsNamespace: opts.claimsNamespace });
  if (!principal) throw new AuthError('invalid_token', 'token has no subject');
  return principal;
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return 'token signature is invalid';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'token is malformed';
  return `token rejected (${(error as errors.JOSEError).code})`;
}
