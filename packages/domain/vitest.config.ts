import { defineProject } from 'vitest/config';

// Property tests run thousands of cases; the machine is shared, so allow more than the 5 s default.
export default defineProject({ test: { name: 'domain', testTimeout: 30_000 } });
