import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'engine',
    globalSetup: ['../db/src/testing/global-setup.ts'],
  },
});
