import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { hashWebInputs, webBuildStatus } from '../src/web-build';

async function write(path: string, content = 'x'): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
}

const manifest = (name: string, deps: string[] = []) =>
  JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) });

it('asks for a build when none exists or a source of the web or a package it depends on changed', async () => {
  const repo = await mkdtemp(join(tmpdir(), 'web-build-'));
  await write(join(repo, 'apps/web/package.json'), manifest('@o/web', ['@o/linear', 'zod']));
  await write(join(repo, 'apps/web/src/app/page.tsx'));
  await write(join(repo, 'packages/linear/package.json'), manifest('@o/linear', ['@o/domain']));
  await write(join(repo, 'packages/linear/src/index.ts'));
  await write(join(repo, 'packages/domain/package.json'), manifest('@o/domain'));
  await write(join(repo, 'packages/domain/src/index.ts'));
  await write(join(repo, 'packages/unrelated/package.json'), manifest('@o/unrelated'));
  await write(join(repo, 'packages/unrelated/src/index.ts'));
  expect(await webBuildStatus(repo, '.next')).toEqual({ stale: true, reason: 'no production build yet' });

  await write(join(repo, 'apps/web/.next/.omakase-inputs'), await hashWebInputs(repo));
  // Files under node_modules or the dist dir never make the build stale.
  await write(join(repo, 'packages/domain/node_modules/x/index.js'));
  await write(join(repo, 'apps/web/.next/server/page.js'));
  expect(await webBuildStatus(repo, '.next')).toEqual({ stale: false, reason: '' });
  // A package the web does not depend on is not an input.
  await write(join(repo, 'packages/unrelated/src/index.ts'), 'changed');
  expect((await webBuildStatus(repo, '.next')).stale).toBe(false);
  // Another dist dir (the tests') has its own stamp.
  expect((await webBuildStatus(repo, 'node_modules/.cache/e2e')).stale).toBe(true);

  // A transitive dependency (web → linear → domain) is an input.
  await write(join(repo, 'packages/domain/src/index.ts'), 'changed');
  expect(await webBuildStatus(repo, '.next')).toEqual({
    stale: true,
    reason: 'sources changed since the last build',
  });
});
