/** Public repositories nobody on this project wrote, stored as git bundles (see repos/README.md). */

import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OmakaseError } from '@omakase/domain';

const run = promisify(execFile);

export const FIXTURES_DIR = fileURLToPath(new URL('../repos', import.meta.url));
export const FIXTURE_DEFAULT_BRANCH = 'main';

export interface Fixture {
  /** owner/name on GitHub. */
  upstream: string;
  upstreamCommit: string;
  /** The tree of the bundle's only commit (dequal: identical to the upstream commit's tree). */
  tree: string;
  language: 'javascript' | 'python';
  /** The licence file's path inside the repository; a copy sits beside the bundle. */
  licenseFile: string;
  /** What a developer runs on a fresh clone, and what the test runner says when all is well. */
  setup: string;
  test: string;
}

export const FIXTURES = {
  dequal: {
    upstream: 'lukeed/dequal',
    upstreamCommit: '37c21f675c1f538f2d4b63ebf19a161411e7a5fd',
    tree: 'ff23bac245bbe859555271dc4180ee8544972876',
    language: 'javascript',
    licenseFile: 'license',
    setup: 'npm install',
    test: 'npm test',
  },
  six: {
    upstream: 'benjaminp/six',
    upstreamCommit: 'c8e394065cd541a16c040515dc0afb85cf22a7c3',
    tree: 'cece0ffa58aea65933b3bb4eddd065ef6f0a2614',
    language: 'python',
    licenseFile: 'LICENSE',
    setup: 'python3 -m venv --system-site-packages .venv',
    test: '.venv/bin/python -m pytest',
  },
} as const satisfies Record<string, Fixture>;

export type FixtureName = keyof typeof FIXTURES;

export const fixtureBundle = (name: FixtureName) => `${FIXTURES_DIR}/${name}.bundle`;

export class FixtureError extends OmakaseError<'fixture_refused'> {
  constructor(message: string) {
    super('fixture_refused', message);
  }
}

/**
 * Clones the fixture into `destDir` (created if missing, must be empty): a non-bare repository
 * with one commit on `main` checked out and no remote, ready to be a project's `file://` remote.
 */
export async function fixtureRepository(name: FixtureName, destDir: string): Promise<string> {
  if (!Object.hasOwn(FIXTURES, name)) {
    throw new FixtureError(`unknown fixture "${name}" (known: ${Object.keys(FIXTURES).join(', ')})`);
  }
  await mkdir(destDir, { recursive: true });
  if ((await readdir(destDir)).length > 0) {
    throw new FixtureError(`refusing to clone fixture ${name} into non-empty ${destDir}`);
  }
  const git = (...args: string[]) => run('git', args, { env: gitEnv() });
  await git('clone', '-q', '--no-hardlinks', '-b', FIXTURE_DEFAULT_BRANCH, fixtureBundle(name), destDir);
  await git('-C', destDir, 'remote', 'remove', 'origin');
  return destDir;
}

function gitEnv(): NodeJS.ProcessEnv {
  // The caller's whole environment passes through to git (not this package's configuration); a
  // developer's global hooks, templates or signing config must not leak into the fixture.
  return { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
}
