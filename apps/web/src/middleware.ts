/**
 * Mounts the Auth0 routes (/auth/login, /auth/callback, /auth/logout…) and keeps every page
 * behind a session. The API (/api/*) authenticates each request itself (Bearer or cookie).
 */
import { type NextRequest, NextResponse } from 'next/server';
import { auth0 } from '@/lib/auth0';
import { env } from '@/server/env';

export async function middleware(request: NextRequest): Promise<NextResponse> {
  const authResponse = await auth0().middleware(request);
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith('/auth/') || pathname.startsWith('/api/')) return authResponse;

  const session = await auth0().getSession(request);
  if (!session) {
    const login = new URL('/auth/login', env().APP_BASE_URL);
    login.searchParams.set('returnTo', `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return authResponse;
}

export const config = {
  runtime: 'nodejs',
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|ico|css|js|map|txt)$).*)'],
};
