import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestRun } from '../../src/test-verdict';

export const exec = promisify(execFile);

/** What a developer's shell has, and nothing of the test runner's own settings. */
export const childEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  LANG: 'C.UTF-8',
});

export const identityArgv = (argv: string[]) => argv;

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `omakase-tv-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}

/** A TestRun as runTestCommand returns it, for the pure verdict tests. */
export function testRun(overrides: Partial<TestRun> = {}): TestRun {
  return {
    command: 'npm test',
    exitCode: 0,
    timedOut: false,
    aborted: false,
    durationMs: 10,
    outputTail: '',
    tests: null,
    format: 'exit_code',
    ...overrides,
  };
}
