/** Which repository paths are test code, and which of them a run added or changed. */

const TEST_DIRS = new Set(['test', 'tests', 'spec', '__tests__', 'e2e']);
const TEST_FILE_PATTERNS = [
  /^test_.+\.py$/, // pytest
  /.+_test\.py$/,
  /^conftest\.py$/,
  /.+_test\.go$/,
  /.+_spec\.rb$/, // RSpec
  /.+\.spec\.[^.]+$/, // Jasmine, Jest, Vitest, Playwright (`a.spec.ts`)
  /.+\.test\.[^.]+$/,
];

/** `path` is repo-relative POSIX (`src/a.test.ts`); a leading `./` is tolerated. */
export function isTestPath(path: string): boolean {
  const segments = path.replace(/^(\.\/)+/, '').split('/');
  const base = segments.pop();
  if (!base || path.startsWith('/')) return false;
  if (segments.some((dir) => TEST_DIRS.has(dir))) return true;
  return TEST_FILE_PATTERNS.some((pattern) => pattern.test(base));
}

export interface StatusEntry {
  /** The two status letters (`??` untracked, ` M`, `A `, `R `, ` D`, …). */
  code: string;
  path: string;
  /** Renames and copies: the path it came from. */
  from?: string;
}

/** Parses `git status --porcelain=v1 -z` output (paths are raw with -z: never quoted). */
export function parseStatusZ(statusPorcelainZ: string): StatusEntry[] {
  const fields = statusPorcelainZ.split('\0');
  const entries: StatusEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (field.length < 4 || field[2] !== ' ') continue;
    const code = field.slice(0, 2);
    const entry: StatusEntry = { code, path: field.slice(3) };
    // With -z the original path of a rename/copy follows as its own field.
    if (code.includes('R') || code.includes('C')) {
      entry.from = fields[++i];
    }
    entries.push(entry);
  }
  return entries;
}

const isDeletion = (code: string) => code.includes('D');
const isIgnored = (code: string) => code === '!!';

/**
 * Test files a run added or modified (untracked, staged or not, renamed-to), from
 * `git status --porcelain=v1 -z --untracked-files=all`. Deleted ones are left out: see
 * `testFilesDeleted`.
 */
export function testFilesChanged(statusPorcelainZ: string): string[] {
  return unique(
    parseStatusZ(statusPorcelainZ)
      .filter((e) => !isDeletion(e.code) && !isIgnored(e.code) && isTestPath(e.path))
      .map((e) => e.path),
  );
}

/** Test files a run deleted (a tester should not: worth flagging). Renamed-away ones count. */
export function testFilesDeleted(statusPorcelainZ: string): string[] {
  const deleted: string[] = [];
  for (const e of parseStatusZ(statusPorcelainZ)) {
    if (isDeletion(e.code) && isTestPath(e.path)) deleted.push(e.path);
    if (e.from && e.code.includes('R') && isTestPath(e.from) && !isTestPath(e.path)) deleted.push(e.from);
  }
  return unique(deleted);
}

const unique = (paths: string[]) => [...new Set(paths)].sort();
