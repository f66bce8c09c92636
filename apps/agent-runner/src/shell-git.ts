/** git for agents: read-only subcommands (and listing forms), no option that runs external programs. */
import { gitSubcommand } from './shell-denylist';
import { type CommandPlan, type Handler, plan, read, write } from './shell-plan';
import { Refusal, type WordValue } from './shell-words';

const GIT_READ_ONLY = new Set([
  'status',
  'diff',
  'log',
  'show',
  'rev-parse',
  'ls-files',
  'grep',
  'blame',
  'annotate',
  'shortlog',
  'describe',
  'cat-file',
  'ls-tree',
  'rev-list',
  'merge-base',
  'name-rev',
  'diff-tree',
  'diff-files',
  'diff-index',
  'range-diff',
  'whatchanged',
  'show-ref',
  'check-ignore',
  'check-attr',
  'count-objects',
  'version',
  'help',
]);
/** Subcommands that are read-only only in their listing forms. */
const GIT_LISTING: Record<string, (rest: string[]) => boolean> = {
  branch: (rest) =>
    rest.includes('--list') ||
    rest.every((word, index) =>
      word.startsWith('-')
        ? !/^(-[dDmMcCfu]|--(delete|move|copy|force|set-upstream|unset-upstream|edit-description|track))/.test(
            word,
          )
        : /^--(contains|no-contains|merged|no-merged|points-at|sort|format)$/.test(rest[index - 1] ?? ''),
    ),
  stash: (rest) => ['list', 'show'].includes(rest[0] ?? ''),
  tag: (rest) => rest.length === 0 || rest.includes('-l') || rest.includes('--list'),
  reflog: (rest) => rest.length === 0 || rest[0] === 'show' || rest[0]?.startsWith('-') === true,
  worktree: (rest) => rest[0] === 'list',
  notes: (rest) => ['list', 'show'].includes(rest[0] ?? ''),
};
const GIT_REFUSED_OPTIONS = /^(--ext-diff|-O|--open-files-in-pager|--exec|--upload-pack|--receive-pack)/;

export const GIT: Handler = (args) => {
  const words = ['git', ...args.map((word) => word.value)];
  const { index } = gitSubcommand(words);
  const paths: CommandPlan['paths'] = [];
  words.slice(1, index).forEach((word, at) => {
    if (word === '-C' && args[at + 1]) paths.push(read(args[at + 1] as WordValue));
  });
  const sub = words[index];
  const rest = words.slice(index + 1);
  if (sub === undefined) {
    if (words.includes('--version') || words.includes('--help')) return plan(paths);
    throw new Refusal('name a git subcommand');
  }
  if (!GIT_READ_ONLY.has(sub) && !GIT_LISTING[sub]?.(rest))
    throw new Refusal(
      `\`git ${sub}${GIT_LISTING[sub] ? ` ${rest.join(' ')}`.trimEnd() : ''}\` is not allowed: agents may run read-only git (status, diff, log, show, grep, blame, branch --list, …); the runner commits the coder's work`,
    );
  const refused = rest.find((word) => GIT_REFUSED_OPTIONS.test(word));
  if (refused) throw new Refusal(`\`git ${sub} ${refused}\` runs external programs: leave it out`);
  args.slice(index).forEach((word, at) => {
    if (word.value === '--output' && args[index + at + 1])
      paths.push(write(args[index + at + 1] as WordValue));
    else if (word.value.startsWith('--output=')) paths.push(write({ ...word, value: word.value.slice(9) }));
    else paths.push(read(word));
  });
  return plan(paths, { writes: paths.some((path) => path.mode === 'write') });
};
