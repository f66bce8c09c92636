/**
 * Decides whether the web app's production build is stale and rebuilds it: `next start` serves
 * whatever `.next` holds, so a source change since the last build must trigger `next build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SKIP = new Set(['node_modules', '.next', '.turbo', 'dist', 'coverage', '.data']);

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Sources the web build depends on: its own code and config, and every workspace package. */
async function sourceInputs(repoRoot: string): Promise<string[]> {
  const web = join(repoRoot, 'apps/web');
  const packages = join(repoRoot, 'packages');
  const names = existsSync(packages) ? await readdir(packages) : [];
  return [
    join(web, 'src'),
    join(web, 'app'),
    join(web, 'public'),
    join(web, 'next.config.ts'),
    join(web, 'postcss.config.mjs'),
    join(web, 'package.json'),
    ...names.flatMap((n) => [join(packages, n, 'src'), join(packages, n, 'package.json')]),
  ];
}

export async function webBuildStatus(repoRoot: string): Promise<{ stale: boolean; reason: string }> {
  const buildId = join(repoRoot, 'apps/web/.next/BUILD_ID');
  const built = (await stat(buildId).catch(() => undefined))?.mtimeMs;
  if (built === undefined) return { stale: true, reason: 'no production build yet' };
  const inputs = await sourceInputs(repoRoot);
  const newest = Math.max(0, ...(await Promise.all(inputs.map(newestMtime))));
  return newest > built
    ? { stale: true, reason: 'sources changed since the last build' }
    : { stale: false, reason: '' };
}

/** Runs `next build` in apps/web, streaming its output through `log`. */
export function buildWeb(opts: {
  repoRoot: string;
  env: Record<string, string>;
  log: (line: string) => void;
}): Promise<void> {
  const next = join(opts.repoRoot, 'node_modules/next/dist/bin/next');
  // flock serialises builds started by concurrent `npm start`s; two builds share one `.next`.
  const lock = join(tmpdir(), 'omakase-web-build.lock');
  const child = spawn('flock', [lock, process.execPath, next, 'build'], {
    cwd: join(opts.repoRoot, 'apps/web'),
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', opts.log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code ?? 'signal'}`)),
    );
  });
}
