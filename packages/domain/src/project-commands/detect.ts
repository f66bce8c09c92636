/**
 * The project's commands from its repository, each with where it came from. Per command the
 * first source that names one wins: the repository's agent instructions (what the team says),
 * then the ecosystems' manifests (npm/pnpm/yarn, Python, Go, Cargo, in that order), then the
 * Makefile. Pure: the caller reads the files (`detectionReads`) from its own copy of the repository.
 */
import { PROJECT_COMMANDS } from '../project-settings';
import { detectCargo, detectGo } from './go-cargo';
import { detectInstructions, INSTRUCTION_FILES, INSTRUCTIONS_MAX_BYTES } from './instructions';
import { detectMakefile } from './makefile';
import { detectNode } from './node';
import { detectPython } from './python';
import type { Detected, RepoSnapshot } from './types';

const DETECTORS = [detectInstructions, detectNode, detectPython, detectGo, detectCargo, detectMakefile];

export function detectCommands(repo: RepoSnapshot): Detected {
  const found = DETECTORS.map((detect) => detect(repo));
  const out: Detected = {};
  for (const name of PROJECT_COMMANDS) {
    const first = found.find((detected) => detected[name])?.[name];
    if (first) out[name] = first;
  }
  return out;
}

const MANIFEST_MAX_BYTES = 256 * 1024;
/** Enough of a yarn.lock to tell v1 from berry. */
const LOCK_HEAD_BYTES = 4 * 1024;
const READ: Record<string, number> = {
  'package.json': MANIFEST_MAX_BYTES,
  'yarn.lock': LOCK_HEAD_BYTES,
  'pyproject.toml': MANIFEST_MAX_BYTES,
  'setup.cfg': MANIFEST_MAX_BYTES,
  'tox.ini': MANIFEST_MAX_BYTES,
  GNUmakefile: MANIFEST_MAX_BYTES,
  makefile: MANIFEST_MAX_BYTES,
  Makefile: MANIFEST_MAX_BYTES,
  ...Object.fromEntries(INSTRUCTION_FILES.map((name) => [name, INSTRUCTIONS_MAX_BYTES])),
};

/** The top-level files detection reads, and at most how many bytes of each. */
export function detectionReads(files: readonly string[]): { path: string; maxBytes: number }[] {
  return files.filter((name) => name in READ).map((path) => ({ path, maxBytes: READ[path]! }));
}
