/** What a command handler says about a simple command: its paths and how each is checked. */
import type { WordValue } from './shell-words';

export interface CommandRules {
  /** Coder and tester: interpreters, package runners, test runners, project scripts. */
  develop: boolean;
  /** Coder: mkdir, cp, mv, rm, touch, ln, chmod, tee, `sed -i`. */
  fileManagement: boolean;
  /** Word prefixes from the project's commands and (coder, tester) its allowlist. */
  prefixes: readonly (readonly string[])[];
}

/**
 * `read`: refused when it resolves outside the workspace to something that exists (a string
 * like `/api/` passed to grep is no path). `write`: must resolve inside the workspace and
 * outside `.git`. `exec`: a file run as a program or script, must lie inside the workspace.
 */
export type PathMode = 'read' | 'write' | 'exec';

export interface CommandPlan {
  paths: { word: WordValue; mode: PathMode }[];
  /** Scripts the command runs (`bash -c …`), analysed in a subshell. */
  scripts: string[];
  /** It changes files (refused under xargs, whose appended arguments are unknown). */
  writes: boolean;
}

export type Handler = (args: WordValue[], rules: CommandRules, depth: number) => CommandPlan;

export const read = (word: WordValue): CommandPlan['paths'][number] => ({ word, mode: 'read' });
export const write = (word: WordValue): CommandPlan['paths'][number] => ({ word, mode: 'write' });
export const plan = (paths: CommandPlan['paths'], extra: Partial<CommandPlan> = {}): CommandPlan => ({
  paths,
  scripts: [],
  writes: false,
  ...extra,
});
export const isOption = (word: WordValue) => word.value.startsWith('-') && word.value !== '-';
