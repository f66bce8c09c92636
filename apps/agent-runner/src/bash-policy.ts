import { normalize } from 'node:path';
import {
  type Command,
  type CommandNode,
  type CompoundList,
  parse,
  type Redirection,
  type Statement,
  type Word,
} from 'unbash';
import { isGitInternal } from './path-policy';
import { type CommandRules, DANGEROUS_VARIABLE, type PathMode, planCommand } from './shell-commands';
import { DEVICE_PATHS, exists, insideWorkspace, logicalCd, physicalPath, workspaceRoot } from './shell-paths';
import { evaluateHereDoc, evaluateWord, Refusal, type WordScope, type WordValue } from './shell-words';

/**
 * Decides whether a Bash command may run — a guard rail in front of the sandbox, which is the
 * boundary. The command is parsed with unbash (pipelines, `&&`/`||`/`;` lists, subshells,
 * redirections, quoting); every simple command in it must pass the denylist and the role's
 * rules (shell-commands.ts), paths are resolved like the kernel would (through symlinks, from
 * the working directory `cd` leads to) and writes must stay inside the workspace and out of
 * `.git`. What cannot be analysed — substitutions, control flow, unknown variables — is
 * refused with what to do instead.
 */
export type CommandDecision = { allowed: true } | { allowed: false; reason: string };

export interface ShellPolicy extends CommandRules {
  workspace: string;
  /** Variables of the agent's shell the policy may expand (HOME); others are refused. */
  env: Readonly<Record<string, string | undefined>>;
  /** The shell's current directory when known (a PreToolUse hook's `cwd`); default: the workspace. */
  cwd?: string;
}

interface Cwd {
  /** `$PWD` as bash keeps it (`cd` is logical by default). */
  logical: string;
  /** The directory the kernel is in. */
  physical: string;
}

/** Working directories a command may start in, after success or failure of what ran before. */
interface Outcome {
  ok: Cwd[];
  fail: Cwd[];
}

interface Walk {
  policy: ShellPolicy;
  root: string;
  vars: Map<string, string>;
  depth: number;
}

export function checkCommand(command: string, policy: ShellPolicy): CommandDecision {
  try {
    const root = workspaceRoot(policy.workspace);
    // Claude Code keeps its shell's directory between calls. When it is not known, the root is
    // assumed: relative paths checked from there are at least as strict as from a subdirectory.
    const start = [startDirectory(policy, root)];
    script(command, start, { policy, root, vars: new Map(), depth: 0 });
    return { allowed: true };
  } catch (error) {
    if (error instanceof Refusal) return { allowed: false, reason: error.message };
    // Fail closed: a command the policy cannot check does not run.
    return { allowed: false, reason: `the command could not be checked: ${(error as Error).message}` };
  }
}

function startDirectory(policy: ShellPolicy, root: string): Cwd {
  if (!policy.cwd) return { logical: policy.workspace, physical: root };
  const physical = physicalPath('/', policy.cwd);
  if (insideWorkspace(root, physical) === null)
    throw new Refusal("the shell's working directory is outside the workspace: `cd` back into it first");
  return { logical: policy.cwd, physical };
}

function script(source: string, cwds: Cwd[], walk: Walk): Cwd[] {
  if (source.includes('\0')) throw new Refusal('a command may not contain NUL characters');
  const ast = parse(source);
  const error = ast.errors?.[0];
  if (error)
    throw new Refusal(`the command cannot be parsed (${error.message}): check its quoting and operators`);
  return list(ast.commands, cwds, walk);
}

function list(statements: readonly Statement[], cwds: Cwd[], walk: Walk): Cwd[] {
  let current = cwds;
  for (const statement of statements) {
    if (statement.background)
      throw new Refusal(
        "`&` is not allowed: use the Bash tool's run_in_background option for long-running commands",
      );
    const outcome = node(statement.command, current, walk, true);
    current = union(outcome.ok, outcome.fail);
  }
  return current;
}

function node(command: Statement['command'], cwds: Cwd[], walk: Walk, certain: boolean): Outcome {
  switch (command.type) {
    case 'AndOr': {
      let outcome = node(command.commands[0] as CommandNode, cwds, walk, certain);
      command.operators.forEach((operator, index) => {
        const next = command.commands[index + 1] as CommandNode;
        const entry = operator === '&&' ? outcome.ok : outcome.fail;
        const result = node(next, entry, walk, false);
        outcome =
          operator === '&&'
            ? { ok: result.ok, fail: union(outcome.fail, result.fail) }
            : { ok: union(outcome.ok, result.ok), fail: result.fail };
      });
      return outcome;
    }
    case 'Pipeline':
      for (const part of command.commands) node(part, cwds, fork(walk), false);
      return { ok: cwds, fail: cwds };
    case 'Command':
      return simple(command, cwds, walk, certain);
    case 'Subshell':
      list(command.body.commands, cwds, fork(walk));
      return { ok: cwds, fail: cwds };
    case 'BraceGroup': {
      const after = list((command.body as CompoundList).commands, cwds, walk);
      return { ok: after, fail: after };
    }
    case 'Redirected':
      redirects(command.redirects, cwds, walk);
      return node(command.command, cwds, walk, certain);
    default:
      throw new Refusal(
        `${command.type === 'Function' ? 'function definitions' : 'if/for/while/case and other compound commands'} are not analysed: run the commands one by one`,
      );
  }
}

function simple(command: Command, cwds: Cwd[], walk: Walk, certain: boolean): Outcome {
  const scope = scopeOf(cwds, walk);
  const assignments = command.prefix.flatMap((item) => (item.type === 'Assignment' ? [item] : []));
  redirects(command.redirects, cwds, walk);
  for (const assignment of assignments) {
    if (DANGEROUS_VARIABLE.test(assignment.name))
      throw new Refusal(`setting \`${assignment.name}\` is not allowed`);
    if (assignment.value.type !== 'Word') throw new Refusal('array assignments are not analysed');
    const value = evaluateWord(assignment.value, scope, true);
    checkPath(value, 'read', cwds, walk);
    if (!command.name) {
      if (certain) walk.vars.set(assignment.name, value.value);
      else walk.vars.delete(assignment.name);
    }
  }
  if (!command.name) return { ok: cwds, fail: cwds };
  const words = [command.name, ...command.args].map((word) => argument(word, scope));
  const name = words[0]?.value;
  if (name === 'cd') return { ok: cd(words.slice(1), cwds, walk), fail: cwds };
  if (name === 'export' || name === 'unset') {
    exportOrUnset(name, words.slice(1), certain, walk);
    return { ok: cwds, fail: cwds };
  }
  if (name === 'pushd' || name === 'popd') throw new Refusal(`use \`cd <dir> && …\` instead of \`${name}\``);
  const plan = planCommand(words, walk.policy);
  for (const { word, mode } of plan.paths) checkPath(word, mode, cwds, walk);
  for (const nested of plan.scripts) {
    if (walk.depth >= 3) throw new Refusal('shells nested this deeply are not analysed');
    script(nested, cwds, { ...fork(walk), depth: walk.depth + 1 });
  }
  return { ok: cwds, fail: cwds };
}

function argument(
  word: Word | { type: 'Assignment'; text: string; name: string; value: unknown },
  scope: WordScope,
) {
  if (word.type === 'Word') return evaluateWord(word, scope);
  if ((word.value as { type: string }).type !== 'Word')
    throw new Refusal('array assignments are not analysed');
  const value = evaluateWord(word.value as Word, scope, true);
  return { value: `${word.name}=${value.value}`, glob: value.glob };
}

function cd(args: WordValue[], cwds: Cwd[], walk: Walk): Cwd[] {
  const targets = args.filter((word) => !/^-[LPe@]+$/.test(word.value));
  const target = targets[0];
  if (!target || target.value === '-' || targets.length > 1)
    throw new Refusal(
      '`cd` needs exactly one directory inside the workspace (`cd` alone and `cd -` are not allowed)',
    );
  if (target.glob) throw new Refusal('`cd` into a pattern is not allowed: write the directory out');
  if (args.some((word) => /^-[LPe@]*P/.test(word.value)))
    throw new Refusal('`cd -P` is not allowed: use plain `cd`');
  return cwds.map((cwd) => {
    const next = logicalCd(cwd.logical, target.value);
    if (insideWorkspace(walk.root, next.physical) === null)
      throw new Refusal(`\`cd ${target.value}\` leaves the workspace: stay inside it`);
    return next;
  });
}

function exportOrUnset(name: string, args: WordValue[], certain: boolean, walk: Walk) {
  if (args.length === 0 || args.some((word) => word.value.startsWith('-')))
    throw new Refusal(
      `\`${name}\` with options or without names is not allowed (\`export -p\` prints secrets)`,
    );
  for (const word of args) {
    const eq = word.value.indexOf('=');
    const variable = eq === -1 ? word.value : word.value.slice(0, eq);
    if (DANGEROUS_VARIABLE.test(variable) && name === 'export')
      throw new Refusal(`setting \`${variable}\` is not allowed`);
    if (name === 'export' && eq !== -1 && certain) walk.vars.set(variable, word.value.slice(eq + 1));
    else walk.vars.delete(variable);
  }
}

function redirects(items: readonly Redirection[], cwds: Cwd[], walk: Walk) {
  const scope = scopeOf(cwds, walk);
  for (const item of items) {
    if (item.descriptor?.type === 'FileDescriptorVariable')
      throw new Refusal('`{var}>` redirections are not analysed: use a plain redirection');
    if (item.type === 'HereDoc') {
      if (!item.delimiter?.quoted) evaluateHereDoc(item.body.parts, scope);
      continue;
    }
    if (!item.target) throw new Refusal('a redirection needs a target');
    const target = evaluateWord(item.target, scope);
    if (item.type === 'HereString') continue;
    if ((item.operator === '>&' || item.operator === '<&') && /^(\d+|-)$/.test(target.value)) continue;
    refuseNetworkPath(target.value);
    const mode: PathMode = item.operator === '<' || item.operator === '<&' ? 'read' : 'write';
    if (mode === 'write' && !walk.policy.develop && !DEVICE_PATHS.has(target.value))
      throw new Refusal(
        'this role does not write files: redirect output to /dev/null or leave the redirection out',
      );
    checkPath(target, mode, cwds, walk, true);
  }
}

/**
 * `read` paths outside the workspace are refused when they exist (a pattern such as `/api/` is
 * no path); `write` and `exec` paths must resolve inside it, writes outside `.git`.
 */
function checkPath(word: WordValue, mode: PathMode, cwds: Cwd[], walk: Walk, isTarget = false) {
  let value = word.value;
  if (!isTarget && value.startsWith('-')) {
    const eq = value.indexOf('=');
    if (eq === -1) return;
    value = value.slice(eq + 1);
  }
  refuseNetworkPath(value);
  if (value === '' || DEVICE_PATHS.has(value)) return;
  if (word.glob) {
    const cut = value.slice(0, value.search(/[*?[]/));
    value = cut.includes('/') ? cut.slice(0, cut.lastIndexOf('/') + 1) : '.';
    if (mode !== 'read') throw new Refusal(`\`${word.value}\`: a pattern cannot be a write target`);
  }
  for (const cwd of cwds) {
    const physical = physicalPath(cwd.physical, value);
    const rel = insideWorkspace(walk.root, physical);
    if (rel === null) {
      if (mode === 'read' && !exists(physical)) continue;
      throw new Refusal(
        `\`${word.value}\` is outside the workspace${physical !== value ? ` (it resolves to ${physical})` : ''}: use paths inside the workspace`,
      );
    }
    if (mode === 'write' && isGitInternal(rel))
      throw new Refusal(`\`${word.value}\` is inside .git: files under .git are not writable`);
  }
}

/** Bash itself opens `/dev/tcp/<host>/<port>` and `/dev/udp/…` as sockets. */
function refuseNetworkPath(value: string) {
  if (/^\/dev\/(tcp|udp)\//.test(normalize(value)))
    throw new Refusal(`\`${value}\` opens a network connection: agents have no network access`);
}

function scopeOf(cwds: Cwd[], walk: Walk): WordScope {
  return {
    lookup: (name) => {
      const local = walk.vars.get(name);
      if (local !== undefined) return local;
      if (name === 'PWD') return cwds.length === 1 ? cwds[0]?.logical : undefined;
      return walk.policy.env[name];
    },
  };
}

const fork = (walk: Walk): Walk => ({ ...walk, vars: new Map(walk.vars) });

function union(a: Cwd[], b: Cwd[]): Cwd[] {
  const seen = new Map<string, Cwd>();
  for (const cwd of [...a, ...b]) seen.set(`${cwd.logical}\0${cwd.physical}`, cwd);
  return [...seen.values()];
}

/**
 * The word prefixes a configured command line allows (`npm ci && npm run build` allows `npm ci`
 * and `npm run build`); simple commands with anything but literal words are skipped.
 */
export function commandPrefixes(command: string): string[][] {
  const prefixes: string[][] = [];
  const literal = (word: Word) =>
    !word.parts || word.parts.every((part) => part.type === 'Literal' || part.type === 'SingleQuoted')
      ? word.value
      : null;
  const visit = (item: Statement['command'] | CommandNode) => {
    if (item.type === 'AndOr' || item.type === 'Pipeline') item.commands.forEach(visit);
    else if (item.type === 'Subshell' || item.type === 'BraceGroup')
      for (const statement of item.body.commands) visit(statement.command);
    else if (item.type === 'Command' && item.name) {
      const words = [item.name, ...item.args].map((arg) => (arg.type === 'Word' ? literal(arg) : null));
      if (words.every((word): word is string => word !== null)) prefixes.push(words);
    }
  };
  const ast = parse(command);
  if (!ast.errors?.length) for (const statement of ast.commands) visit(statement.command);
  return prefixes.filter((prefix) => prefix.length > 0 && prefix[0] !== 'cd');
}
