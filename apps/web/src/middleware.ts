/**
 * Mounts the Auth0 routes (/auth/login, /auth/callback, /auth/logout…), keeps every page behind
 * a session, rate-limits webhooks per client IP, and sets the security headers on every answer.
 * The API (/api/*) authenticates each request itself (Bearer, cookie, run token or signature).
 */
import { type NextRequest, NextResponse } from 'next/server';
import { auth0 } from '@/lib/auth0';
import { env, issuerUrl } from '@/server/env';
import { securityHeaders } from '@/server/security/headers';
import { clientIp, tooManyRequests } from '@/server/security/rate-limit';
import { takeShared } from '@/server/security/shared-rate-limit';

function withHeaders<R extends Response>(response: R): R {
  const e = env();
  const headers = securityHeaders({
    issuerOrigin: new URL(issuerUrl()).origin,
    secure: e.APP_BASE_URL.startsWith('https://'),
    dev: e.NODE_ENV === 'development',
  });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export async function middleware(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith('/api/webhooks/')) {
    // Signature checks cost an HMAC over the body; refuse floods before reading it.
    const decision = await takeShared(
      'webhooks',
      env().API_RATE_LIMIT_PER_MINUTE,
      `ip:${clientIp(request.headers)}`,
    );
    if (!decision.allowed) return withHeaders(tooManyRequests(decision.retryAfterSeconds));
  }
  const authResponse = await auth0().middleware(request);
  if (pathname.startsWith('/auth/') || pathname.startsWith('/api/')) return withHeaders(authResponse);

  const session = await auth0().getSession(request);
  if (!session) {
    const login = new URL('/auth/login', env().APP_BASE_URL);
    login.searchParams.set('returnTo', `${pathname}${search}`);
    if (pathname === '/invitations/accept') {
      // An Auth0 organisation invitation ticket on our link lets a new user sign up into the org.
      for (const name of ['invitation', 'organization']) {
        const value = request.nextUrl.searchParams.get(name);
        if (value) login.searchParams.set(name, value);
      }
    }
    return withHeaders(NextResponse.redirect(login));
  }
  return withHeaders(authResponse);
}

export const config = {
  runtime: 'nodejs',
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|css|js|map|txt)$).*)'],
};
