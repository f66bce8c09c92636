/**
 * The project's dependency cache, seen from inside a run. A setup run that installed copies what
 * it installed into its staging directory (`tree/<path>` plus `manifest.json`, written last); the
 * platform keeps that as the cache entry for the environment key. Later runs with the same key
 * copy the entry's tree into their checkout instead of installing.
 *
 * Copies, never hard links: a hard-linked file would let one feature's agent rewrite the cache
 * every later feature starts from. `cp --reflink=auto` shares blocks copy-on-write where the
 * filesystem can (btrfs, XFS), and falls back to a plain copy elsewhere.
 */

import { execFile } from 'node:child_process';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { OmakaseError } from '@omakase/domain';
import { z } from 'zod';
import { relocateVirtualenvs } from './relocate';
import { isSafeRelative } from './safe-path';

const exec = promisify(execFile);

export const MANIFEST_FILE = 'manifest.json';
const TREE_DIR = 'tree';

const manifestSchema = z.object({
  key: z.string().min(1),
  paths: z.array(z.string().refine(isSafeRelative, 'must be a safe relative path')).max(1000),
  /** The checkout it was installed in: virtualenvs name it in scripts and .pth files. */
  workspace: z.string().startsWith('/'),
  createdAt: z.string(),
});
export type EnvironmentManifest = z.infer<typeof manifestSchema>;

export class EnvironmentCacheError extends OmakaseError<'ENVIRONMENT_CACHE_ERROR'> {
  constructor(message: string) {
    super('ENVIRONMENT_CACHE_ERROR', message);
  }
}

const copy = (from: string, to: string) =>
  exec('cp', ['-a', '--reflink=auto', '--no-target-directory', '--', from, to], {
    maxBuffer: 1024 * 1024,
  }).catch((error: { stderr?: string }) => {
    throw new EnvironmentCacheError(`copying ${from} failed: ${error.stderr ?? String(error)}`);
  });

/** Copies `paths` of the checkout into `stagingDir`; the manifest goes last (a partial copy has none). */
export async function saveEnvironment(opts: {
  workspace: string;
  paths: string[];
  stagingDir: string;
  key: string;
}): Promise<void> {
  const tree = join(opts.stagingDir, TREE_DIR);
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  for (const path of opts.paths) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await copy(join(opts.workspace, path), join(tree, path));
  }
  const manifest: EnvironmentManifest = {
    key: opts.key,
    paths: opts.paths,
    workspace: opts.workspace,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(opts.stagingDir, MANIFEST_FILE), JSON.stringify(manifest));
}

/** The entry's manifest when it is complete and for `key`; null otherwise (a miss). */
export async function readManifest(entryDir: string, key: string): Promise<EnvironmentManifest | null> {
  const text = await readFile(join(entryDir, MANIFEST_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const manifest = manifestSchema.safeParse(parsed);
  return manifest.success && manifest.data.key === key ? manifest.data : null;
}

/**
 * Copies the cache entry into the checkout. The checkout is agent and repository content: a
 * destination whose parent is a symlink (a committed `node_modules -> /elsewhere`) is refused,
 * and whatever sits at a destination (a half install) is replaced.
 */
export async function restoreEnvironment(opts: {
  workspace: string;
  entryDir: string;
  manifest: EnvironmentManifest;
}): Promise<void> {
  const { workspace, manifest } = opts;
  for (const path of manifest.paths) {
    await assertPlainParents(workspace, path);
    const destination = join(workspace, path);
    await rm(destination, { recursive: true, force: true });
    await mkdir(dirname(destination), { recursive: true });
    await copy(join(opts.entryDir, TREE_DIR, path), destination);
  }
  if (manifest.workspace !== workspace)
    await relocateVirtualenvs(workspace, manifest.paths, manifest.workspace);
}

async function assertPlainParents(workspace: string, path: string): Promise<void> {
  const parts = path.split('/').slice(0, -1);
  let current = workspace;
  for (const part of parts) {
    current = join(current, part);
    const info = await lstat(current).catch(() => null);
    if (info === null) return; // created fresh below
    if (!info.isDirectory() || info.isSymbolicLink())
      throw new EnvironmentCacheError(`refusing to restore ${path}: ${current} is not a plain directory`);
  }
}
