/** A temporary workspace for tool-policy tests, with `src/outside-link` pointing out of it. */
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface PolicyWorkspace {
  root: string;
  workspace: string;
}

/** Registers its own beforeAll/afterAll; the fields are set once beforeAll has run. */
export function usePolicyWorkspace(): PolicyWorkspace {
  const dirs: PolicyWorkspace = { root: '', workspace: '' };
  beforeAll(async () => {
    dirs.root = await realpath(await mkdtemp(join(tmpdir(), 'omakase-policy-')));
    dirs.workspace = join(dirs.root, 'ws');
    await mkdir(join(dirs.workspace, 'src'), { recursive: true });
    await symlink(dirs.root, join(dirs.workspace, 'src', 'outside-link'));
  });
  afterAll(() => rm(dirs.root, { recursive: true, force: true }));
  return dirs;
}
