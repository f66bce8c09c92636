/**
 * The OAuth `state`: a short-lived HS256 token naming the organisation and user that started the
 * install, plus a nonce also kept in an httpOnly cookie, so a callback completes only in the
 * browser session (and organisation) that began it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OrgId } from '@omakase/domain';
import { jwtVerify, SignJWT } from 'jose';
import { ApiError } from '../api-error';
import { env } from '../env';

export const STATE_COOKIE = 'omakase_linear_state';
const AUDIENCE = 'omakase:linear-oauth-state';
const TTL_SECONDS = 600;

const key = () => createHash('sha256').update(`linear-oauth-state:${env().AUTH0_SECRET}`).digest();

export async function createState(orgId: OrgId, subject: string): Promise<{ state: string; nonce: string }> {
  const nonce = randomBytes(16).toString('base64url');
  const state = await new SignJWT({ org: orgId, nonce })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key());
  return { state, nonce };
}

export function stateCookie(nonce: string): string {
  const secure = env().APP_BASE_URL.startsWith('https:') ? '; Secure' : '';
  return `${STATE_COOKIE}=${nonce}; Path=/api/integrations/linear; HttpOnly; SameSite=Lax; Max-Age=${TTL_SECONDS}${secure}`;
}

export const clearStateCookie = () => `${STATE_COOKIE}=; Path=/api/integrations/linear; HttpOnly; Max-Age=0`;

export function cookieNonce(request: Request): string | null {
  const header = request.headers.get('cookie') ?? '';
  const match = new RegExp(`(?:^|;\\s*)${STATE_COOKIE}=([^;]+)`).exec(header);
  return match?.[1] ?? null;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Throws `forbidden` unless the state is ours, fresh, for this org and user, and matches the cookie. */
export async function checkState(
  state: string,
  expected: { orgId: OrgId; subject: string; nonce: string | null },
): Promise<void> {
  const refuse = (why: string) => new ApiError('forbidden', `OAuth state rejected: ${why}`);
  let payload: { org?: unknown; nonce?: unknown; sub?: string };
  try {
    payload = (await jwtVerify(state, key(), { audience: AUDIENCE, algorithms: ['HS256'] })).payload;
  } catch {
    throw refuse('invalid or expired');
  }
  if (payload.org !== expected.orgId) throw refuse('started by another organisation');
  if (payload.sub !== expected.subject) throw refuse('started by another user');
  if (!expected.nonce || typeof payload.nonce !== 'string' || !same(payload.nonce, expected.nonce)) {
    throw refuse('not started in this browser session');
  }
}
