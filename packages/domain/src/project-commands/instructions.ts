/**
 * Commands the repository's own agent instructions (`CLAUDE.md`, `AGENTS.md`) name, in one of two
 * forms (anything else in them is ignored):
 *
 *   Test: `npm run test:unit`          a label line (optionally a list item, bold, or "… command")
 *
 *   ## Lint                             a heading or label line ending in the name (and ":"),
 *   ```sh                               directly followed by a fenced block: its first line that is
 *   npm run lint                        not a comment or blank is the command
 *   ```
 *
 * Labels: setup/install, test/tests, lint, typecheck/type-check/type check, build.
 */
import type { ProjectCommandName } from '../project-settings';
import type { Detected, RepoSnapshot } from './types';

export const INSTRUCTION_FILES = ['CLAUDE.md', 'AGENTS.md'] as const;
/** Only the start of each file is read. */
export const INSTRUCTIONS_MAX_BYTES = 32 * 1024;

const LABELS: Record<string, ProjectCommandName> = {
  setup: 'setup',
  install: 'setup',
  test: 'test',
  tests: 'test',
  lint: 'lint',
  typecheck: 'typecheck',
  'type-check': 'typecheck',
  'type check': 'typecheck',
  build: 'build',
};
const LABEL = '(setup|install|tests?|lint|type-?check|type check|build)';
const INLINE = new RegExp(
  `^\\s*(?:[-*]\\s+)?(?:\\*\\*)?${LABEL}(?: command)?(?:\\*\\*)?\\s*:\\s*(?:\\*\\*)?\\s*\`([^\`]+)\`\\s*$`,
  'i',
);
const HEADING = new RegExp(
  `^\\s*(?:#{1,6}\\s+|[-*]\\s+)?(?:\\*\\*)?${LABEL}(?: command)?(?:\\*\\*)?\\s*:?\\s*$`,
  'i',
);
const FENCE = /^\s*(```|~~~)/;

export function detectInstructions(repo: RepoSnapshot): Detected {
  const out: Detected = {};
  for (const file of INSTRUCTION_FILES) {
    const text = repo.contents[file];
    if (text === undefined) continue;
    const lines = text.slice(0, INSTRUCTIONS_MAX_BYTES).split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const found = inline(lines[i]!) ?? fenced(lines, i);
      if (found && !out[found.name] && isOneLine(found.command))
        out[found.name] = { command: found.command, source: `${file} (${found.label})` };
    }
  }
  return out;
}

function inline(line: string) {
  const match = INLINE.exec(line);
  return match
    ? { name: LABELS[match[1]!.toLowerCase()]!, label: match[1]!, command: match[2]!.trim() }
    : null;
}

function fenced(lines: string[], i: number) {
  const match = HEADING.exec(lines[i]!);
  if (!match || !FENCE.test(lines[i + 1] ?? '')) return null;
  const fence = FENCE.exec(lines[i + 1]!)![1]!;
  for (let j = i + 2; j < lines.length && !lines[j]!.trim().startsWith(fence); j++) {
    const line = lines[j]!.trim().replace(/^\$\s+/, '');
    if (line && !line.startsWith('#'))
      return { name: LABELS[match[1]!.toLowerCase()]!, label: match[1]!, command: line };
  }
  return null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const isOneLine = (command: string) => command.length <= 500 && !/[\u0000-\u001f\u007f]/.test(command);
