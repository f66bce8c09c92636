import { realpathSync } from 'node:fs';
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

function realpathOfNearestAncestor(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** Git internals (hooks, config) would let a file edit turn into code execution: never writable. */
export const isGitInternal = (rel: string) => rel === '.git' || rel.startsWith('.git/');

/** Test files the tester may write: a test directory, or a `*.test.*` / `*.spec.*` file. */
export const isTestPath = (rel: string) =>
  /^(test|tests|__tests__)\//.test(rel) ||
  /(^|\/)__tests__\//.test(rel) ||
  /(^|\/)[^/]+\.(test|spec)\.[cm]?[jt]sx?$/.test(rel);
