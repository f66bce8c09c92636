import { configDefaults, defineProject } from 'vitest/config';

// template/ holds the demo project's own node:test files: they run through `npm test` in a
// generated repository, never under vitest.
export default defineProject({
  test: { name: 'demo-repo', exclude: [...configDefaults.exclude, 'template/**'] },
});
