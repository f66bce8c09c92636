/** Runs git as the orchestrator. Workspaces belong to the sandbox user, hence `safe.directory`. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** `config` goes in through git's environment (GIT_CONFIG_*), so values never show in the process list. */
export async function git(
  cwd: string,
  args: string[],
  timeoutMs = 60_000,
  config: Record<string, string> = {},
): Promise<string> {
  const entries = Object.entries(config);
  const configEnv: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    configEnv[`GIT_CONFIG_KEY_${i}`] = key;
    configEnv[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  try {
    const { stdout } = await exec('git', ['-c', 'safe.directory=*', ...args], {
      cwd,
      timeout: timeoutMs,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_TERMINAL_PROMPT: '0',
        HOME: '/tmp',
        ...(entries.length > 0 ? configEnv : {}),
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new GitError(`git ${args[0]} failed: ${summarise(stderr)}`, stderr);
  }
}

/** The lines that say why (the remote's message, rejected refs, fatal errors), not git's boilerplate. */
function summarise(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const telling = lines.filter(
    (line) =>
      /^(remote:|! |fatal:)/.test(line) ||
      (line.startsWith('error:') && !/failed to push some refs/.test(line)),
  );
  return (telling.length > 0 ? telling.join('; ') : (lines.at(-1) ?? 'unknown error')).slice(0, 500);
}
