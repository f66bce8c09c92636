/**
 * Which paths a setup command installed: the untracked and ignored entries of the checkout that
 * appeared while it ran (`node_modules/`, `.venv/`, a generated lockfile), as git collapses them.
 */
import { isSafeRelative } from '@omakase/workspace-env';
import { parseStatusZ } from '../test-verdict/test-paths';
import { git } from '../workspace';

/** Untracked and ignored entries, directories collapsed (`node_modules`, `packages/a/node_modules`). */
export async function untrackedPaths(workspace: string): Promise<Set<string>> {
  const status = await git(workspace, [
    'status',
    '--porcelain=v1',
    '-z',
    '--ignored=matching',
    '--untracked-files=normal',
  ]);
  return new Set(
    parseStatusZ(status)
      .filter((entry) => entry.code === '??' || entry.code === '!!')
      .map((entry) => entry.path.replace(/\/+$/, '')),
  );
}

/** What setup added: entries present after it that were not there before. */
export function environmentPaths(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  const added = [...after].filter((path) => !before.has(path) && isSafeRelative(path)).sort();
  // Ignored files inside a new directory are listed too (`.venv/…/x.pyc`): the directory covers them.
  return added.filter((path) => !added.some((other) => path.startsWith(`${other}/`)));
}
