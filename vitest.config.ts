import { defineConfig } from 'vitest/config';

// One runner for the whole repo; each workspace is a project so output is grouped.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'infra'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
