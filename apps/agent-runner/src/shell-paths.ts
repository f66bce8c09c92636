import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Device files a command may name even though they lie outside the workspace. */
export const DEVICE_PATHS = new Set(['/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/zero']);

const MAX_LINK_HOPS = 40;

/**
 * Where the kernel lands for `path` opened from the (physical) directory `from`: components are
 * walked one by one and symlinks — dangling ones included — are followed before a later `..`
 * applies, as open(2) does (`link/../x` with `link -> /etc` is `/x`, not `<from>/x`).
 * A symlink loop yields `/`, which is outside every workspace.
 */
export function physicalPath(from: string, path: string, hops = { count: 0 }): string {
  const start = isAbsolute(path) ? '/' : from;
  let current = start;
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    const link = symlinkTarget(next);
    if (link === null) {
      current = next;
      continue;
    }
    if (++hops.count > MAX_LINK_HOPS) return '/';
    current = physicalPath(current, link, hops);
  }
  return current;
}

/** `physical` relative to the workspace's real root, or null when it lies outside. */
export function insideWorkspace(workspaceRoot: string, physical: string): string | null {
  const rel = relative(workspaceRoot, physical);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** The workspace's own path through its symlinks (e.g. macOS-style `/tmp` links). */
export const workspaceRoot = (workspace: string) => realpathSync(workspace);

/**
 * `cd` as bash does it by default (`-L`): the target is joined to the logical working directory
 * and normalised lexically, and the kernel then enters that directory through its symlinks.
 */
export function logicalCd(logicalCwd: string, target: string): { logical: string; physical: string } {
  const logical = resolve(logicalCwd, target);
  return { logical, physical: physicalPath('/', logical) };
}

export const exists = (path: string) => existsSync(path) || symlinkTarget(path) !== null;

function symlinkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}
