import { basename } from 'node:path';

/**
 * What no role may run, whatever the project's allowlist says. Checked on every layer of a
 * command (after `env`, `xargs`, `npx`, `bash -c`, … are unwrapped) and on the program's base
 * name, so `/usr/bin/git push` and `command git push` are the same as `git push`.
 */
const NETWORK_TOOLS = new Set([
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'ssh',
  'scp',
  'sftp',
  'ftp',
  'telnet',
  'rsync',
  'lftp',
  'aria2c',
]);
const PRIVILEGE_TOOLS = new Set(['sudo', 'su', 'doas', 'pkexec']);
const PUBLISHING = new Set([
  'publish',
  'unpublish',
  'adduser',
  'login',
  'logout',
  'token',
  'owner',
  'deprecate',
  'dist-tag',
]);
const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const PUBLISH_COMMANDS: Record<string, string> = {
  cargo: 'publish',
  twine: 'upload',
  poetry: 'publish',
  gem: 'push',
  uv: 'publish',
  flit: 'publish',
};

const GIT_DENIED: Record<string, string> = {
  push: 'the platform pushes the branch itself when the run ends',
  remote: "the repository's remotes belong to the platform",
  config: "the repository's git configuration belongs to the platform",
  submodule: 'submodules fetch and run code from elsewhere',
  credential: 'git credentials are not available to agents',
  fetch: 'agents have no network access',
  pull: 'agents have no network access',
  clone: 'agents have no network access',
  'ls-remote': 'agents have no network access',
  'send-email': 'agents have no network access',
  'request-pull': 'agents have no network access',
  daemon: 'agents have no network access',
  'upload-pack': 'agents have no network access',
  'receive-pack': 'agents have no network access',
  'http-backend': 'agents have no network access',
};

export const commandName = (word: string) => basename(word);

/** Why `words` may never run, or null. */
export function deniedReason(words: readonly string[]): string | null {
  const name = commandName(words[0] ?? '');
  if (NETWORK_TOOLS.has(name))
    return `\`${name}\` is a network tool: agents have no network access (dependencies are installed by the setup stage before the agents run)`;
  if (PRIVILEGE_TOOLS.has(name)) return `\`${name}\` is never allowed`;
  if (PACKAGE_MANAGERS.has(name)) {
    const verb = words.slice(1).find((word) => PUBLISHING.has(word));
    if (verb)
      return `\`${name} ${verb}\` is never allowed: agents do not publish packages or manage registry accounts`;
  }
  if (PUBLISH_COMMANDS[name] && words.includes(PUBLISH_COMMANDS[name] as string))
    return `\`${name} ${PUBLISH_COMMANDS[name]}\` is never allowed: agents do not publish packages`;
  if (name === 'git') return gitDenied(words);
  return null;
}

/** Git's global options up to the subcommand; `-c`, `--git-dir` and friends are denied outright. */
export function gitSubcommand(words: readonly string[]): { index: number; denied: string | null } {
  let index = 1;
  while (index < words.length) {
    const word = words[index] as string;
    if (!word.startsWith('-')) break;
    if (word === '-c' || /^-c./.test(word) || word.startsWith('--config-env'))
      return {
        index,
        denied: '`git -c` and `--config-env` are never allowed: git configuration belongs to the platform',
      };
    if (/^--(git-dir|work-tree|exec-path|namespace|super-prefix)/.test(word))
      return {
        index,
        denied: `\`git ${word.split('=')[0]}\` is never allowed: use the workspace's own repository`,
      };
    if (word === '-p' || word === '--paginate')
      return { index, denied: '`git --paginate` starts a pager: leave it out (output is not a terminal)' };
    index += word === '-C' ? 2 : 1;
  }
  return { index, denied: null };
}

function gitDenied(words: readonly string[]): string | null {
  const { index, denied } = gitSubcommand(words);
  if (denied) return denied;
  const sub = words[index] ?? '';
  const reason = GIT_DENIED[sub] ?? (/^(credential|remote)-/.test(sub) ? GIT_DENIED.credential : undefined);
  return reason ? `\`git ${sub}\` is never allowed: ${reason}` : null;
}
