/** Makefile targets (`test`, `lint`, `typecheck`, `build`, `setup`; `check` as the test target when there is no `test`). */
import type { Detected, RepoSnapshot } from './types';

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];
const TARGETS = {
  setup: ['setup', 'deps'],
  test: ['test', 'check'],
  lint: ['lint'],
  typecheck: ['typecheck'],
  build: ['build'],
} as const;

export function detectMakefile(repo: RepoSnapshot): Detected {
  const file = MAKEFILES.find((name) => repo.files.includes(name));
  if (!file) return {};
  // A rule line: `target:` or `target another:` at the start of a line, not a `:=` assignment.
  const targets = new Set<string>();
  for (const match of (repo.contents[file] ?? '').matchAll(/^([A-Za-z0-9_.\- ]+):(?!=)/gm))
    for (const name of match[1]!.trim().split(/\s+/)) targets.add(name);
  const out: Detected = {};
  for (const [command, names] of Object.entries(TARGETS)) {
    const target = names.find((name) => targets.has(name));
    if (target)
      out[command as keyof typeof TARGETS] = {
        command: `make ${target}`,
        source: `${file} target ${target}`,
      };
  }
  return out;
}
