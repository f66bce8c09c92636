import { defineProject } from 'vitest/config';

// The fixture check installs one project from the npm registry and creates a virtualenv: seconds.
export default defineProject({ test: { name: 'test-fixtures', testTimeout: 60_000 } });
