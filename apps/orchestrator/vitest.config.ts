import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'orchestrator',
    globalSetup: ['../../packages/db/src/testing/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // One real stack (web + orchestrator + agents) at a time: these tests are heavy.
    fileParallelism: false,
  },
});
