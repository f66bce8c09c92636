import { defineProject } from 'vitest/config';

// Each test drives real agent processes (SDK + Claude Code): seconds, not milliseconds.
export default defineProject({ test: { name: 'agent-runner', testTimeout: 60_000, hookTimeout: 30_000 } });
