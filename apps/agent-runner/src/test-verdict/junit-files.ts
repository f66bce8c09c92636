/**
 * The JUnit reports a test run left in its report directory. The directory is writable by the
 * test command (workspace content, so attacker-controlled): it must be a real directory, only
 * regular files are read (lstat, then O_NOFOLLOW and fstat on the opened file), each at most
 * 16 MiB.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OmakaseError } from '@omakase/domain';
import { JUnitParseError, parseJUnit } from './junit';
import { dedupeIds, type TestCase } from './test-case';

export const MAX_JUNIT_BYTES = 16 * 1024 * 1024;

export class JUnitDirError extends OmakaseError<'junit_dir_refused'> {
  constructor(message: string) {
    super('junit_dir_refused', message);
  }
}

/**
 * Makes `dir` ready for a run: creates it if missing (returns true then), refuses anything but a
 * real directory, and deletes reports an earlier run left so they cannot be mistaken for this one's.
 */
export async function prepareJUnitDir(dir: string): Promise<boolean> {
  const created = (await lstatOrNull(dir)) === null;
  if (created) await mkdir(dir, { recursive: true });
  await assertRealDir(dir);
  for (const name of await xmlNames(dir)) await unlink(join(dir, name)); // unlink never follows
  return created;
}

/** Parses every `*.xml` report in `dir`, then deletes it; unreadable or malformed ones are skipped. */
export async function collectJUnit(dir: string): Promise<{ tests: TestCase[]; skippedFiles: string[] }> {
  if ((await lstatOrNull(dir)) === null) return { tests: [], skippedFiles: [] };
  await assertRealDir(dir);
  const tests: TestCase[] = [];
  const skippedFiles: string[] = [];
  for (const name of (await xmlNames(dir)).sort()) {
    const path = join(dir, name);
    try {
      tests.push(...parseJUnit(await readRegularFile(path, MAX_JUNIT_BYTES)));
    } catch (error) {
      if (!(error instanceof JUnitParseError || error instanceof JUnitDirError || isFsError(error)))
        throw error;
      skippedFiles.push(`${name}: ${(error as Error).message}`);
    }
    await unlink(path).catch(() => {});
  }
  return { tests: dedupeIds(tests), skippedFiles };
}

async function readRegularFile(path: string, maxBytes: number): Promise<string> {
  const before = await lstat(path);
  if (!before.isFile()) throw new JUnitDirError('not a regular file');
  if (before.size > maxBytes) throw new JUnitDirError(`larger than ${maxBytes} bytes`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    // Swapped between lstat and open: a different file, or one that grew.
    if (!opened.isFile() || opened.ino !== before.ino || opened.size > maxBytes) {
      throw new JUnitDirError('changed while being read');
    }
    const buffer = Buffer.alloc(opened.size);
    const { bytesRead } = await handle.read(buffer, 0, opened.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function xmlNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.xml'));
}

async function assertRealDir(dir: string): Promise<void> {
  const stat = await lstat(dir);
  if (!stat.isDirectory()) throw new JUnitDirError(`${dir} is not a directory (a symlink is refused)`);
}

async function lstatOrNull(path: string) {
  return lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}

const isFsError = (error: unknown) => typeof (error as NodeJS.ErrnoException)?.code === 'string';
