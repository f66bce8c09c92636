/**
 * Inside the checkout's `.git`: which environment it holds (so a run restores only when it
 * differs), and the installed paths kept out of the agents' commits (`.git/info/exclude`, as a
 * developer's own ignores). Both are agent-writable: a lying marker only costs that run its
 * environment, and symlinked targets are refused.
 */
import { appendFile, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isSafeRelative } from './safe-path';

const markerSchema = z.object({ key: z.string(), paths: z.array(z.string()) });
export type EnvironmentMarker = z.infer<typeof markerSchema>;

const markerPath = (workspace: string) => join(workspace, '.git', 'omakase', 'environment.json');

export async function readMarker(workspace: string): Promise<EnvironmentMarker | null> {
  const text = await readFile(markerPath(workspace), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = markerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeMarker(workspace: string, marker: EnvironmentMarker): Promise<void> {
  await plainDirectory(join(workspace, '.git'));
  await mkdir(join(workspace, '.git', 'omakase'), { recursive: true });
  await plainDirectory(join(workspace, '.git', 'omakase'));
  await refuseSymlink(markerPath(workspace));
  await writeFile(markerPath(workspace), JSON.stringify(marker));
}

/** Adds `/path` lines for the installed paths, so `git add -A` never commits node_modules or .venv. */
export async function excludeFromGit(workspace: string, paths: string[]): Promise<void> {
  const info = join(workspace, '.git', 'info');
  await plainDirectory(join(workspace, '.git'));
  await mkdir(info, { recursive: true });
  await plainDirectory(info);
  const exclude = join(info, 'exclude');
  await refuseSymlink(exclude);
  const existing = new Set((await readFile(exclude, 'utf8').catch(() => '')).split('\n'));
  const lines = paths
    .filter(isSafeRelative)
    .map((path) => `/${path}`)
    .filter((line) => !existing.has(line));
  if (lines.length > 0)
    await appendFile(exclude, `\n# installed by the platform's setup\n${lines.join('\n')}\n`);
}

async function plainDirectory(path: string): Promise<void> {
  const info = await lstat(path);
  if (!info.isDirectory()) throw new Error(`${path} is not a plain directory`);
}

async function refuseSymlink(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info && !info.isFile()) throw new Error(`${path} is not a plain file`);
}
