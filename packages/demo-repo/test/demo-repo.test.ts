import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoRepository, DEMO_TEST_COMMAND } from '../src/index';

const run = promisify(execFile);
const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'omakase-demo-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createDemoRepository', () => {
  it('creates a small committed git repository on main by Omakase Demo', async () => {
    const dir = await tempDir();
    await createDemoRepository(dir);
    const files = (await run('git', ['ls-files'], { cwd: dir })).stdout.trim().split('\n');
    expect(files).toContain('src/cart.js');
    expect(files).toContain('.gitignore');
    expect(files.length).toBeLessThanOrEqual(10);
    const branch = (await run('git', ['branch', '--show-current'], { cwd: dir })).stdout.trim();
    expect(branch).toBe('main');
    const author = (await run('git', ['log', '-1', '--format=%an <%ae>'], { cwd: dir })).stdout.trim();
    expect(author).toBe('Omakase Demo <demo@omakase.local>');
    expect((await run('git', ['status', '--porcelain'], { cwd: dir })).stdout).toBe('');
  });

  it('has a test command that passes offline without installing anything', async () => {
    const dir = await tempDir();
    await createDemoRepository(dir);
    expect(await readdir(dir)).not.toContain('node_modules');
    const [command, ...args] = DEMO_TEST_COMMAND.split(' ');
    const { stdout } = await run(command!, args, { cwd: dir });
    expect(stdout).toMatch(/# pass 6/);
    expect(stdout).toMatch(/# fail 0/);
  });

  it('refuses a non-empty target', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'keep.txt'), 'x');
    await expect(createDemoRepository(dir)).rejects.toMatchObject({ code: 'DEMO_REPO_TARGET_NOT_EMPTY' });
  });
});
