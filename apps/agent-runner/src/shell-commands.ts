/**
 * Which simple commands a role may run, after the denylist: the project's own commands and
 * allowlist (as word prefixes), common read-only tools for everyone, development tools
 * (interpreters, package runners, test runners, linters, make) for the coder and tester, and
 * file management inside the workspace for the coder. Each handler also says which arguments
 * are paths and how they are checked.
 */
import { dirname } from 'node:path';
import { commandName, deniedReason } from './shell-denylist';
import { GIT } from './shell-git';
import { type CommandPlan, type CommandRules, type Handler, isOption, plan, read, write } from './shell-plan';
import { AWK, FIND, SED, SORT } from './shell-text-tools';
import { Denied, Refusal, type WordValue } from './shell-words';

export type { CommandRules, PathMode } from './shell-plan';

/** Assignments that would change what a command loads or where git looks. */
export const DANGEROUS_VARIABLE =
  /^(GIT_\w*|LD_\w*|DYLD_\w*|BASH_ENV|ENV|PATH|IFS|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|CDPATH|HOME|BASH_FUNC_.*)$/;

const SYSTEM_BIN_DIRS = new Set(['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin']);
const MAX_DEPTH = 4;

export function planCommand(words: WordValue[], rules: CommandRules, depth = 0): CommandPlan {
  if (depth > MAX_DEPTH) throw new Refusal('commands nested this deeply are not analysed');
  const values = words.map((word) => word.value);
  const denied = deniedReason(values);
  if (denied) throw new Denied(denied);
  if (rules.prefixes.some((prefix) => prefix.every((word, index) => values[index] === word)))
    return plan(words.slice(1).map(read));
  const name = values[0] as string;
  if (words[0]?.glob) throw new Refusal(`\`${name}\`: a program name cannot be a pattern`);
  if (name.includes('/') && !SYSTEM_BIN_DIRS.has(dirname(name))) {
    if (!rules.develop) throw notAllowed(name, rules);
    return plan([{ word: words[0] as WordValue, mode: 'exec' }, ...words.slice(1).map(read)]);
  }
  const handler = HANDLERS[commandName(name)];
  if (!handler) throw notAllowed(name, rules);
  return handler(words.slice(1), rules, depth);
}

function notAllowed(name: string, rules: CommandRules): Refusal {
  const who = rules.fileManagement ? 'the coder' : rules.develop ? 'the tester' : 'this role';
  return new Refusal(
    `\`${name}\` is not allowed for ${who}: run the project's commands, the allowed development tools or read-only tools (ls, cat, grep, find, git diff, …), or use the Read/Grep/Glob tools`,
  );
}

const readOnly: Handler = (args) => plan(args.map(read));
const develop =
  (inner: Handler = readOnly): Handler =>
  (args, rules, depth) => {
    if (rules.develop) return inner(args, rules, depth);
    if (args.length === 1 && /^(--version|-v|-V|version)$/.test(args[0]?.value ?? '')) return plan([]);
    try {
      inner(args, { ...rules, develop: true }, depth); // only to name a denied inner command
    } catch (error) {
      if (error instanceof Denied) throw error;
    }
    throw new Refusal(
      "development tools are for the coder and tester; this role may run read-only tools and the project's lint, typecheck and test commands",
    );
  };
const subcommands =
  (allowed: readonly string[], runners: readonly string[] = []): Handler =>
  (args, rules, depth) => {
    const index = args.findIndex((word) => !isOption(word));
    const sub = args[index]?.value;
    if (sub === undefined && args.some((word) => /^(--version|-v|-V)$/.test(word.value))) return plan([]);
    if (sub !== undefined && runners.includes(sub)) return packageRunner(args.slice(index + 1), rules, depth);
    if (sub === undefined || !allowed.includes(sub))
      throw new Refusal(
        `\`${sub ?? '(none)'}\` is not an allowed subcommand here (allowed: ${[...allowed, ...runners].join(', ')}); the project's own commands are allowed as configured`,
      );
    return plan(args.map(read));
  };
const fileManagement: Handler = (args, rules) => {
  if (!rules.fileManagement)
    throw new Refusal(
      'file management commands are for the coder; the tester edits test files with Write/Edit',
    );
  return plan(args.filter((word) => !isOption(word) || word.value.includes('=')).map(write), {
    writes: true,
  });
};

/** `npx tsc --noEmit`, `npm exec -- vitest`: local binaries; known programs are checked as such. */
const packageRunner: Handler = (args, rules, depth) => {
  let index = 0;
  const paths: CommandPlan['paths'] = [];
  while (index < args.length && isOption(args[index] as WordValue)) {
    const option = (args[index] as WordValue).value;
    if (option === '--') {
      index++;
      break;
    }
    if (/^(-c|--call)(=|$)/.test(option))
      throw new Refusal('`--call` runs a shell string: run the command itself instead');
    index += option === '-p' || option === '--package' ? 2 : 1;
  }
  const inner = args.slice(index);
  if (inner.length === 0) throw new Refusal('name the program to run');
  const name = commandName(inner[0]?.value ?? '');
  if (HANDLERS[name] || deniedReason([name])) {
    const nested = planCommand(inner, rules, depth + 1);
    return { ...nested, paths: [...paths, ...nested.paths] };
  }
  return plan([...paths, ...inner.slice(1).map(read)]);
};

/** `env`, `nice`, `timeout`, `xargs`, …: their own options, then a command checked by itself. */
function wrapper(
  valued: RegExp,
  opts: { refuse?: RegExp; bare?: string; xargs?: boolean; output?: boolean } = {},
): Handler {
  return (args, rules, depth) => {
    const paths: CommandPlan['paths'] = [];
    let index = 0;
    while (index < args.length) {
      const word = (args[index] as WordValue).value;
      if (opts.refuse?.test(word)) throw new Refusal(`\`${word}\` is not allowed here`);
      if (word === '--') {
        index++;
        break;
      }
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) && opts.bare === 'env') {
        const name = word.slice(0, word.indexOf('='));
        if (DANGEROUS_VARIABLE.test(name)) throw new Refusal(`setting \`${name}\` is not allowed`);
        paths.push(read(args[index] as WordValue));
        index++;
        continue;
      }
      if (!isOption(args[index] as WordValue)) break;
      if (/^(-a|--arg-file)/.test(word) && opts.xargs) {
        const file = word.includes('=') || word.length > 2 ? args[index] : args[index + 1];
        if (file) paths.push(read(file));
      }
      if (/^(-o|--output)/.test(word) && opts.output) {
        const file = word.includes('=') ? args[index] : args[index + 1];
        if (file) paths.push(write(file));
      }
      index += valued.test(word) ? 2 : 1;
    }
    let inner = args.slice(index);
    if (opts.bare === 'timeout') inner = inner.slice(1);
    if (inner.length === 0) {
      if (opts.xargs) inner = [{ value: 'echo', glob: false }];
      else if (opts.bare === 'env')
        throw new Refusal('`env` alone prints the environment (secrets): not allowed');
      else return plan(paths);
    }
    const nested = planCommand(inner, rules, depth + 1);
    if (opts.xargs && nested.writes)
      throw new Refusal('`xargs` with a command that changes files is not allowed: name the files yourself');
    if (opts.xargs && nested.scripts.length > 0)
      throw new Refusal(
        '`xargs` into a shell script is not analysed (its input becomes code): run the commands yourself',
      );
    return { ...nested, paths: [...paths, ...nested.paths] };
  };
}

const SHELLS: Handler = (args, rules, _depth) => {
  const script = args.findIndex((word) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word.value));
  if (script !== -1) {
    const source = args[script + 1];
    if (!source) throw new Refusal('`-c` needs a command string');
    if (args.length > script + 2)
      throw new Refusal('arguments after a `-c` script are not analysed: write them into the script');
    return plan([], { scripts: [source.value] });
  }
  const file = args.find((word) => !isOption(word));
  if (!file)
    throw new Refusal('a shell reading commands from its input is not analysed: pass the command with -c');
  if (!rules.develop) throw new Refusal('running scripts is for the coder and tester');
  const rest = args.slice(args.indexOf(file) + 1);
  return plan([{ word: file, mode: 'exec' }, ...rest.map(read)]);
};

const SOURCE: Handler = (args, rules) => {
  if (!rules.develop) throw new Refusal('running scripts is for the coder and tester');
  const [file, ...rest] = args;
  if (!file) throw new Refusal('name the file to source');
  return plan([{ word: file, mode: 'exec' }, ...rest.map(read)]);
};

const COMMAND: Handler = (args, rules, depth) =>
  args.some((word) => word.value === '-v' || word.value === '-V')
    ? plan([])
    : wrapper(/^$/)(
        args.filter((word) => word.value !== '-p'),
        rules,
        depth,
      );

const NOTHING: Handler = () => plan([]);
const PRINTS_ENVIRONMENT: Handler = () => {
  throw new Refusal('printing the environment is not allowed (it holds secrets)');
};

const READ_ONLY_TOOLS = [
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'diff',
  'cmp',
  'comm',
  'cut',
  'tr',
  'uniq',
  'nl',
  'fold',
  'rev',
  'column',
  'od',
  'hexdump',
  'file',
  'stat',
  'du',
  'df',
  'tree',
  'realpath',
  'readlink',
  'dirname',
  'basename',
  'pwd',
  'echo',
  'printf',
  'test',
  '[',
  'which',
  'type',
  'whereis',
  'date',
  'seq',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'base64',
  'jq',
  'true',
  'false',
  ':',
  'exit',
  'wait',
  'sleep',
  'uname',
  'id',
  'whoami',
  'nproc',
] as const;

const HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(READ_ONLY_TOOLS.map((name) => [name, readOnly])),
  find: FIND,
  sed: SED,
  awk: AWK,
  gawk: AWK,
  mawk: AWK,
  sort: SORT,
  git: GIT,
  env: wrapper(/^(-u|--unset)$/, { refuse: /^(-C|--chdir|-S|--split-string)/, bare: 'env' }),
  printenv: PRINTS_ENVIRONMENT,
  command: COMMAND,
  builtin: wrapper(/^$/),
  exec: wrapper(/^-a$/),
  nice: wrapper(/^(-n|--adjustment)$/),
  nohup: wrapper(/^$/),
  timeout: wrapper(/^(-s|--signal|-k|--kill-after)$/, { bare: 'timeout' }),
  stdbuf: wrapper(/^(-i|-o|-e)$/),
  time: wrapper(/^(-f|--format|-o|--output)$/, { output: true }),
  xargs: wrapper(/^(-I|-n|-L|-l|-P|-d|-E|-e|-s|-a)$/, { xargs: true }),
  bash: SHELLS,
  sh: SHELLS,
  dash: SHELLS,
  zsh: SHELLS,
  source: SOURCE,
  '.': SOURCE,
  set: (args) => {
    if (
      args.length === 0 ||
      !args.every((word) => /^([-+][a-zA-Z]+|pipefail|errexit|nounset|xtrace)$/.test(word.value))
    )
      throw new Refusal('only `set -e`, `set -o pipefail` and similar option changes are allowed');
    return plan([]);
  },
  eval: () => {
    throw new Refusal('`eval` is not analysed: run the command itself');
  },
  ...Object.fromEntries(
    ['mkdir', 'touch', 'cp', 'mv', 'rm', 'rmdir', 'ln', 'chmod', 'tee'].map((name) => [name, fileManagement]),
  ),
  node: develop(),
  nodejs: develop(),
  python: develop(),
  python3: develop(),
  ...Object.fromEntries(
    [
      'pytest',
      'py.test',
      'tsx',
      'ts-node',
      'tsc',
      'vitest',
      'jest',
      'mocha',
      'eslint',
      'prettier',
      'biome',
      'ruff',
      'mypy',
      'black',
      'flake8',
      'pylint',
      'isort',
      'make',
      'gmake',
    ].map((name) => [name, develop()]),
  ),
  npx: develop(packageRunner),
  npm: develop(
    subcommands(
      ['test', 't', 'tst', 'run', 'run-script', 'ls', 'list', 'explain', 'why', 'prefix', 'root'],
      ['exec', 'x'],
    ),
  ),
  pnpm: develop(subcommands(['test', 't', 'run', 'list', 'ls', 'why'], ['exec'])),
  yarn: develop(subcommands(['test', 'run', 'list', 'why', 'bin'], ['exec'])),
  go: develop(subcommands(['test', 'vet', 'build', 'run', 'list', 'version', 'env', 'fmt', 'doc'])),
  cargo: develop(
    subcommands(['test', 'check', 'build', 'run', 'clippy', 'fmt', 'doc', 'metadata', 'tree', 'bench']),
  ),
  pip: develop(subcommands(['list', 'show', 'freeze', 'check'])),
  pip3: develop(subcommands(['list', 'show', 'freeze', 'check'])),
  uv: develop(subcommands([], ['run'])),
  poetry: develop(subcommands([], ['run'])),
  pipenv: develop(subcommands([], ['run'])),
  true: NOTHING,
};
