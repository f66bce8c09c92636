/**
 * Security headers for every response. The CSP allows inline scripts/styles because Next's
 * App Router inlines its bootstrap (nonces would force dynamic rendering of every page);
 * everything else is same-origin, framing is refused, and forms may post only to us and the
 * identity provider.
 */
export function securityHeaders(opts: {
  issuerOrigin: string;
  secure: boolean;
  dev: boolean;
}): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self' ${opts.issuerOrigin}`,
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cross-origin-opener-policy': 'same-origin',
    ...(opts.secure ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
