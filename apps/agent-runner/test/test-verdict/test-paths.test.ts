import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTestPath, parseStatusZ, testFilesChanged, testFilesDeleted } from '../../src/test-verdict';
import { exec, tempDir } from './support';

describe('isTestPath', () => {
  it.each([
    'test_six.py',
    'pkg/test_models.py',
    'pkg/models_test.py',
    'conftest.py',
    'src/conftest.py',
    'tests/helpers.py',
    'test/fixtures/data.json',
    'internal/server/handler_test.go',
    'spec/models/user_spec.rb',
    'spec/support/helpers.rb',
    'src/button.spec.tsx',
    'src/button.test.ts',
    'lib/index.test.js',
    'src/__tests__/button.tsx',
    'e2e/login.ts',
    './tests/a.py',
  ])('%s is a test path', (path) => {
    expect(isTestPath(path)).toBe(true);
  });

  it.each([
    'six.py',
    'src/testing.py',
    'src/contest.py',
    'pkg/attest.go',
    'src/test.ts', // a module named test, outside any test directory
    'src/latest/index.ts',
    'docs/testing.md',
    'spectacle/index.js',
    'handler_test.go.orig',
    '',
    '/abs/tests/a.py',
  ])('%s is not a test path', (path) => {
    expect(isTestPath(path)).toBe(false);
  });
});

describe('test files a run changed, from real git status', () => {
  let repo: { dir: string; cleanup: () => Promise<void> };
  let status: string;
  const git = (...args: string[]) =>
    exec('git', ['-C', repo.dir, ...args], {
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });

  beforeAll(async () => {
    repo = await tempDir('status');
    await git('init', '-q', '-b', 'main');
    await mkdir(join(repo.dir, 'tests'));
    const files = {
      'tests/test_keep.py': 'x',
      'tests/test_modified.py': 'x',
      'tests/test_deleted.py': 'x',
      'test_renamed_from.py': 'x',
      'lib.py': 'x',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(repo.dir, name), `${text}\n`);
    await git('add', '-A');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');

    await writeFile(join(repo.dir, 'tests/test_modified.py'), 'changed\n');
    await rm(join(repo.dir, 'tests/test_deleted.py'));
    await git('mv', 'test_renamed_from.py', 'renamed_test.py');
    await writeFile(join(repo.dir, 'lib.py'), 'changed\n');
    await mkdir(join(repo.dir, 'src/__tests__'), { recursive: true });
    await writeFile(join(repo.dir, 'src/__tests__/new file.ts'), 'x\n'); // untracked, in a new dir, with a space
    await writeFile(join(repo.dir, 'src/a.test.ts'), 'x\n');
    await git('add', 'src/a.test.ts');
    ({ stdout: status } = await git('status', '--porcelain=v1', '-z', '--untracked-files=all'));
  });
  afterAll(() => repo.cleanup());

  it('parses renames with their original path', () => {
    expect(parseStatusZ(status)).toContainEqual({
      code: 'R ',
      path: 'renamed_test.py',
      from: 'test_renamed_from.py',
    });
  });

  it('returns added and modified test files, untracked ones in new directories included', () => {
    expect(testFilesChanged(status)).toEqual([
      'renamed_test.py',
      'src/__tests__/new file.ts',
      'src/a.test.ts',
      'tests/test_modified.py',
    ]);
  });

  it('reports deleted test files apart', () => {
    expect(testFilesDeleted(status)).toEqual(['tests/test_deleted.py']);
  });

  it('is empty for a clean tree', () => {
    expect(testFilesChanged('')).toEqual([]);
  });
});
