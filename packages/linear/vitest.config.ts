import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'linear',
    globalSetup: ['../../packages/db/src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
