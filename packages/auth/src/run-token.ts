/**
 * Run tokens: short-lived JWTs the orchestrator mints for one agent run. A run token can only
 * read its own run's spec and append its own events/result; the API also refuses it once the
 * run has ended. Signed with HS256 using RUN_TOKEN_SECRET, shared by orchestrator and API only.
 */
import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'omakase-orchestrator';
const AUDIENCE = 'omakase-run';

export interface RunTokenClaims {
  runId: string;
  orgId: string;
  featureId: string;
}

function key(secret: string): Uint8Array {
  if (secret.length < 32) throw new Error('RUN_TOKEN_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function mintRunToken(claims: RunTokenClaims, secret: string, ttlSeconds = 4 * 3600) {
  return new SignJWT({ org: claims.orgId, feat: claims.featureId, scope: 'run' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.runId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Returns the claims, or null when the token is not a valid, unexpired run token. */
export async function verifyRunToken(token: string, secret: string): Promise<RunTokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (payload.scope !== 'run' || typeof payload.sub !== 'string') return null;
    if (typeof payload.org !== 'string' || typeof payload.feat !== 'string') return null;
    return { runId: payload.sub, orgId: payload.org, featureId: payload.feat };
  } catch {
    return null;
  }
}
