/**
 * CSRF: a cookie-authenticated mutation must come from our own origin. Bearer-token requests
 * are immune (browsers never attach the header cross-site); server actions get Next's own check.
 */
import { ApiError } from '../api-error';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function assertSameOrigin(request: Request, appBaseUrl: string): void {
  if (SAFE.has(request.method) || request.headers.has('authorization')) return;
  if (!request.headers.get('cookie')) return; // no ambient credentials to abuse
  const expected = new URL(appBaseUrl).origin;
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin === expected || (!origin && site === 'same-origin')) return;
  throw new ApiError('forbidden', 'cross-site request refused: the Origin does not match this application');
}
