import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Resolves `path` (absolute or relative to the workspace) through symlinks, including those of
 * parents that exist, and returns it relative to the workspace, or null when it leaves it.
 */
export function workspaceRelative(workspace: string, path: string): string | null {
  const root = realpathSync(workspace);
  const target = realpathOfNearestAncestor(resolve(workspace, path));
  const rel = relative(root, target);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** Symlink hops followed before a path counts as unresolvable (as the kernel's ELOOP limit). */
const MAX_LINK_HOPS = 40;

/**
 * Where a write to `path` would land. A missing component is kept as written, except when it is
 * a symlink itself: a dangling link (e.g. `test/x.test.js -> ../.git/hooks/pre-push`) would be
 * created through, so its target is followed like the kernel would.
 */
function realpathOfNearestAncestor(path: string, hops = 0): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const link = symlinkTarget(current);
      if (link !== null) {
        if (hops >= MAX_LINK_HOPS) return '/';
        return realpathOfNearestAncestor(
          join(resolve(dirname(current), link), ...missing.reverse()),
          hops + 1,
        );
      }
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

function symlinkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

/** Git internals (hooks, config) would let a file edit turn into code execution: never writable. */
export const isGitInternal = (rel: string) => rel === '.git' || rel.startsWith('.git/');

/** Test files the tester may write: the same rule that decides which files its commit holds. */
export { isTestPath } from './test-verdict/test-paths';
