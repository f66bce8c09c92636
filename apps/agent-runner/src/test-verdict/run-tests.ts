/**
 * Runs a project's test command the way the platform judges it: isolated through `argvWrapper`,
 * in its own process group (killed whole on timeout, abort, or once the command has exited, so a
 * daemon it left cannot hold the pipes open), with per-test results from JUnit XML (pytest is
 * pointed at `junitDir` through PYTEST_ADDOPTS, which also reaches it behind `npm test` or
 * `make test`), else TAP on stdout, else the exit code alone.
 *
 * Everything the command writes — output and reports — is workspace content: the results say
 * what the project's own test code reported, nothing more.
 */
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_RESULT_FORMATS, type TestResultFormat } from '@omakase/api-contract';
import { z } from 'zod';
import { type CommandOptions, runCommand } from '../command-process';
import { collectJUnit, prepareJUnitDir } from './junit-files';
import { parseTap } from './tap';
import { testCaseSchema } from './test-case';

export { TEST_RESULT_FORMATS, type TestResultFormat };

export const testRunSchema = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  aborted: z.boolean(),
  durationMs: z.number(),
  /** Last ~8 KB of stdout and stderr, interleaved as they arrived. */
  outputTail: z.string(),
  tests: z.array(testCaseSchema).nullable(),
  format: z.enum(TEST_RESULT_FORMATS),
});
export type TestRun = z.infer<typeof testRunSchema>;

export interface RunTestCommandOptions extends CommandOptions {
  /**
   * Where JUnit reports are written: must be writable by the isolated command (under the workspace
   * in the sandbox). Created if missing (and removed again); earlier `*.xml` in it are deleted.
   */
  junitDir: string;
}

export const OUTPUT_TAIL_BYTES = 8 * 1024;
const MAX_TAP_CHARS = 32 * 1024 * 1024;

export async function runTestCommand(opts: RunTestCommandOptions): Promise<TestRun> {
  const createdJUnitDir = await prepareJUnitDir(opts.junitDir);
  const env = { ...opts.env, PYTEST_ADDOPTS: pytestAddopts(opts.env.PYTEST_ADDOPTS, opts.junitDir) };
  const outcome = await runCommand(
    { ...opts, env },
    { tailBytes: OUTPUT_TAIL_BYTES, captureStdoutChars: MAX_TAP_CHARS },
  );

  const junit = await collectJUnit(opts.junitDir);
  if (createdJUnitDir) await rmdir(opts.junitDir).catch(() => {}); // only if the run left it empty
  const tap =
    junit.tests.length === 0 && !outcome.stdout.overflowed ? parseTap(outcome.stdout.toString()) : null;
  const [format, tests]: [TestResultFormat, TestRun['tests']] =
    junit.tests.length > 0
      ? ['junit', junit.tests]
      : tap && tap.length > 0
        ? ['tap', tap]
        : ['exit_code', null];
  return {
    command: opts.command,
    exitCode: outcome.exitCode,
    timedOut: outcome.timedOut,
    aborted: outcome.aborted,
    durationMs: outcome.durationMs,
    outputTail: outcome.tail.toString(),
    tests,
    format,
  };
}

/** pytest shlex-splits PYTEST_ADDOPTS: the path is single-quoted. */
export function pytestAddopts(existing: string | undefined, junitDir: string): string {
  const path = join(junitDir, 'pytest.xml');
  const option = `--junitxml='${path.replaceAll("'", `'"'"'`)}'`;
  return existing?.trim() ? `${existing} ${option}` : option;
}
