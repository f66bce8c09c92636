/**
 * Reads the project's commands from its bare mirror: the default branch's top-level tree
 * (`git ls-tree -l`) and the few blobs detection asks for, each bounded in size — only git's
 * object reads, through the hardened helper; nothing in the repository is checked out or run.
 */
import { type DetectedCommands, detectCommands, detectionReads, type Project } from '@omakase/domain';
import { GitError, git } from './git';
import type { Mirrors } from './mirror';

/** A blob above this is not read at all (a huge lockfile's head is not worth its transfer). */
const MAX_BLOB_BYTES = 8 * 1024 * 1024;
const SYMLINK_MODE = '120000';

export interface DetectOptions {
  /** Fetch the upstream first (default true); false when the caller just fetched. */
  fetch?: boolean;
  /** Detect even when the stored detection is of the same commit. */
  force?: boolean;
}

/**
 * The commands at the tip of the default branch, or null when the stored detection already is of
 * that commit (nothing to write).
 */
export async function detectFromMirror(
  mirrors: Mirrors,
  project: Project,
  opts: DetectOptions = {},
): Promise<DetectedCommands | null> {
  return mirrors.exclusive(project, async (gitDir) => {
    if (opts.fetch !== false) await mirrors.refresh(project, gitDir);
    const base = await mirrors.resolve(gitDir, `refs/remotes/origin/${project.defaultBranch}`);
    if (!base) throw new GitError(`the repository has no branch ${project.defaultBranch}`, '');
    if (!opts.force && project.detectedCommands?.baseCommit === base) return null;
    return {
      commands: detectCommands(await snapshot(gitDir, base)),
      baseCommit: base,
      detectedAt: new Date(),
    };
  });
}

async function snapshot(gitDir: string, commit: string) {
  const listing = await git(['ls-tree', '-l', '-z', '--full-tree', commit], { gitDir });
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
      return { mode: mode!, type: type!, sha: sha!, size: Number(size), name: line.slice(tab + 1) };
    });
  const files = entries.map((e) => (e.type === 'blob' ? e.name : `${e.name}/`));
  const byName = new Map(entries.filter((e) => e.type === 'blob').map((e) => [e.name, e]));
  const contents: Record<string, string> = {};
  for (const { path, maxBytes } of detectionReads(files)) {
    const entry = byName.get(path);
    // A symlink's blob is its target path, not the file: never followed, never read.
    if (!entry || entry.mode === SYMLINK_MODE || !(entry.size <= MAX_BLOB_BYTES)) continue;
    const text = await git(['cat-file', 'blob', entry.sha], { gitDir });
    contents[path] = text.slice(0, maxBytes);
  }
  return { files, contents };
}
