import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { webBuildStatus } from '../src/web-build';

async function touch(path: string, at: Date): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
  await utimes(path, at, at);
}

it('asks for a build when none exists or a source is newer than BUILD_ID', async () => {
  const repo = await mkdtemp(join(tmpdir(), 'web-build-'));
  const old = new Date('2024-01-01T00:00:00Z');
  const built = new Date('2024-06-01T00:00:00Z');
  await touch(join(repo, 'apps/web/src/app/page.tsx'), old);
  await touch(join(repo, 'packages/domain/src/index.ts'), old);
  expect(await webBuildStatus(repo)).toEqual({ stale: true, reason: 'no production build yet' });

  await touch(join(repo, 'apps/web/.next/BUILD_ID'), built);
  // Files under node_modules or .next never make the build stale.
  await touch(join(repo, 'packages/domain/node_modules/x/index.js'), new Date());
  expect((await webBuildStatus(repo)).stale).toBe(false);

  await touch(join(repo, 'packages/domain/src/rbac.ts'), new Date('2024-07-01T00:00:00Z'));
  expect(await webBuildStatus(repo)).toEqual({ stale: true, reason: 'sources changed since the last build' });
});
