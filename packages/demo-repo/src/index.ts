import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OmakaseError } from '@omakase/domain';

const run = promisify(execFile);

/** Where the demo project's files live; copied verbatim (except `gitignore` → `.gitignore`). */
export const DEMO_TEMPLATE_DIR = fileURLToPath(new URL('../template', import.meta.url));

/**
 * The demo project's test command. It needs nothing but Node >= 20: sources are JavaScript
 * type-checked as TypeScript (`// @ts-check` + JSDoc) and tests use `node:test`.
 */
export const DEMO_TEST_COMMAND = 'npm test';

/** Commands the demo project's agents may run (prefix match), for the project's allowlist. */
export const DEMO_COMMAND_ALLOWLIST = [
  'npm test',
  'node --test',
  'git status',
  'git diff',
  'git log',
  'git show',
] as const;

export const DEMO_DEFAULT_BRANCH = 'main';

export const DEMO_AUTHOR = { name: 'Omakase Demo', email: 'demo@omakase.local' } as const;

export class DemoRepositoryError extends OmakaseError<'DEMO_REPO_TARGET_NOT_EMPTY'> {
  constructor(message: string) {
    super('DEMO_REPO_TARGET_NOT_EMPTY', message);
  }
}

/**
 * Writes the demo-shop project into `targetDir` (created if missing, must be empty) and makes
 * it a git repository on `main` with one commit by "Omakase Demo".
 */
export async function createDemoRepository(targetDir: string): Promise<void> {
  await mkdir(targetDir, { recursive: true });
  if ((await readdir(targetDir)).length > 0) {
    throw new DemoRepositoryError(`Refusing to write the demo repository into non-empty ${targetDir}`);
  }
  await cp(DEMO_TEMPLATE_DIR, targetDir, { recursive: true });
  await rename(join(targetDir, 'gitignore'), join(targetDir, '.gitignore'));
  const git = (...args: string[]) => run('git', args, { cwd: targetDir, env: gitEnv() });
  await git('init', '-q', '-b', DEMO_DEFAULT_BRANCH);
  await git('add', '-A');
  await git('commit', '-q', '-m', 'Initial demo-shop: catalog, cart and pricing');
}

function gitEnv(): NodeJS.ProcessEnv {
  return {
    // The caller's whole environment passes through to git (PATH, HOME, proxies…); only its
    // identity and config are pinned. Nothing here is this package's configuration.
    ...process.env,
    GIT_AUTHOR_NAME: DEMO_AUTHOR.name,
    GIT_AUTHOR_EMAIL: DEMO_AUTHOR.email,
    GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
    GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
    // A developer's global hooks or signing config must not leak into the demo repository.
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}
