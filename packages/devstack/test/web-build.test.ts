import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { hashWebInputs, webBuildStatus } from '../src/web-build';

async function write(path: string, content = 'x'): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
}

it('asks for a build when none exists or any source the web may import changed', async () => {
  const repo = await mkdtemp(join(tmpdir(), 'web-build-'));
  await write(join(repo, 'apps/web/src/app/page.tsx'));
  await write(join(repo, 'packages/domain/src/index.ts'));
  await write(join(repo, 'packages/linear/src/index.ts'));
  expect(await webBuildStatus(repo, '.next')).toEqual({ stale: true, reason: 'no production build yet' });

  await write(join(repo, 'apps/web/.next/.omakase-inputs'), await hashWebInputs(repo));
  // Files under node_modules or the dist dir never make the build stale.
  await write(join(repo, 'packages/domain/node_modules/x/index.js'));
  await write(join(repo, 'apps/web/.next/server/page.js'));
  expect(await webBuildStatus(repo, '.next')).toEqual({ stale: false, reason: '' });
  // Another dist dir (the tests') has its own stamp.
  expect((await webBuildStatus(repo, 'node_modules/.cache/e2e')).stale).toBe(true);

  await write(join(repo, 'packages/linear/src/index.ts'), 'changed');
  expect(await webBuildStatus(repo, '.next')).toEqual({
    stale: true,
    reason: 'sources changed since the last build',
  });
});
