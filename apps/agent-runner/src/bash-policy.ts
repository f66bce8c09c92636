import { isAbsolute, relative, resolve } from 'node:path';

/**
 * Decides whether a Bash command may run. Every part of a chain (`&&`, `||`, `;`, `|`, `&`)
 * must start with an allowed prefix (whole words); substitutions, redirections and paths that
 * leave the workspace are refused outright.
 */
export type CommandDecision = { allowed: true } | { allowed: false; reason: string };

const FORBIDDEN = [
  { pattern: /`|\$\(|\$\{|<\(|>\(/, reason: 'command substitution is not allowed' },
  { pattern: /[<>]/, reason: 'redirections are not allowed' },
  { pattern: /[\r\n]/, reason: 'multi-line commands are not allowed' },
];

/** Read-only git, for roles that must not change the repository. */
export const READ_ONLY_GIT = ['git diff', 'git log', 'git show', 'git status'] as const;

export function checkCommand(
  command: string,
  allowlist: readonly string[],
  workspace: string,
): CommandDecision {
  for (const { pattern, reason } of FORBIDDEN) if (pattern.test(command)) return { allowed: false, reason };
  const parts = command.split(/&&|\|\||[;|&]/).map((part) => part.trim());
  if (parts.some((part) => part.length === 0)) return { allowed: false, reason: 'empty command in a chain' };
  const allowed = allowlist.map((entry) => entry.trim().split(/\s+/)).filter((words) => words[0]);
  for (const part of parts) {
    const words = tokenize(part);
    if (!words) return { allowed: false, reason: `cannot parse \`${part}\`` };
    if (!allowed.some((prefix) => prefix.every((word, index) => words[index] === word)))
      return { allowed: false, reason: `\`${part}\` is not in the project's command allowlist` };
    const escaping = words.find((word) => leavesWorkspace(word, workspace));
    if (escaping) return { allowed: false, reason: `\`${escaping}\` points outside the workspace` };
    if (words.some((word) => /^--output(=|$)/.test(word)))
      return { allowed: false, reason: '--output is not allowed' };
  }
  return { allowed: true };
}

/** Splits on whitespace honouring single and double quotes; null when quotes are unbalanced. */
export function tokenize(part: string): string[] | null {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (const char of part) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(current);
  return words;
}

function leavesWorkspace(word: string, workspace: string): boolean {
  const value = word.includes('=') && !word.startsWith('/') ? word.slice(word.indexOf('=') + 1) : word;
  if (!value.startsWith('/') && !value.startsWith('~') && !value.split('/').includes('..')) return false;
  if (value.startsWith('~')) return true;
  const target = resolve(workspace, value);
  const rel = relative(workspace, target);
  return rel.startsWith('..') || isAbsolute(rel);
}
