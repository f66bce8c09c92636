/**
 * Keeps a production build of the web app in step with its sources. `next start` serves whatever
 * the dist directory holds, so `npm start` and the browser tests both ask `ensureWebBuild`, which
 * hashes every input (the app and the workspace packages it depends on), compares the hash
 * stamped next to the last build, and rebuilds only when it differs. Builds of one dist
 * directory are serialised across processes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SKIP = new Set(['node_modules', '.next', '.turbo', 'dist', 'coverage', '.data']);
const STAMP = '.omakase-inputs';
const STALE_LOCK_MS = 10 * 60_000;

/** Workspace packages the web app depends on at runtime (transitively), by directory. */
async function webPackageDirs(repoRoot: string): Promise<string[]> {
  const packages = join(repoRoot, 'packages');
  const dirByName = new Map<string, string>();
  const depsByDir = new Map<string, string[]>();
  const readDeps = async (dir: string) => {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    depsByDir.set(dir, Object.keys(manifest.dependencies ?? {}));
    return manifest.name as string;
  };
  for (const entry of existsSync(packages) ? await readdir(packages) : []) {
    const dir = join(packages, entry);
    if (existsSync(join(dir, 'package.json'))) dirByName.set(await readDeps(dir), dir);
  }
  const web = join(repoRoot, 'apps/web');
  await readDeps(web);
  const seen = new Set<string>();
  const visit = (dir: string) => {
    for (const dep of depsByDir.get(dir) ?? []) {
      const depDir = dirByName.get(dep);
      if (depDir && !seen.has(depDir)) {
        seen.add(depDir);
        visit(depDir);
      }
    }
  };
  visit(web);
  return [...seen].sort();
}

/** Sources the web build depends on: its own code and config, and the packages it imports. */
async function sourceInputs(repoRoot: string): Promise<string[]> {
  const web = join(repoRoot, 'apps/web');
  const packages = await webPackageDirs(repoRoot);
  return [
    join(web, 'src'),
    join(web, 'public'),
    join(web, 'next.config.ts'),
    join(web, 'postcss.config.mjs'),
    join(web, 'package.json'),
    ...packages.flatMap((dir) => [join(dir, 'src'), join(dir, 'package.json')]),
  ];
}

export async function hashWebInputs(repoRoot: string): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) {
      hash.update(path.slice(repoRoot.length)).update(await readFile(path));
      return;
    }
    for (const entry of (await readdir(path)).sort()) {
      if (!SKIP.has(entry)) await visit(join(path, entry));
    }
  };
  for (const input of await sourceInputs(repoRoot)) await visit(input);
  return hash.digest('hex');
}

export interface WebBuildOptions {
  repoRoot: string;
  /** Relative to apps/web; passed to next.config.ts as OMAKASE_NEXT_DIST_DIR. */
  distDir: string;
  env: NodeJS.ProcessEnv;
  /** Called with the reason before a build starts. */
  onBuild?: (reason: string) => void;
  log?: (line: string) => void;
}

export async function webBuildStatus(repoRoot: string, distDir: string) {
  const stamp = await readFile(join(repoRoot, 'apps/web', distDir, STAMP), 'utf8').catch(() => undefined);
  if (stamp === undefined) return { stale: true, reason: 'no production build yet' };
  return stamp === (await hashWebInputs(repoRoot))
    ? { stale: false, reason: '' }
    : { stale: true, reason: 'sources changed since the last build' };
}

/** Builds when the inputs changed since the last build of `distDir`. */
export function ensureWebBuild(opts: WebBuildOptions): Promise<{ rebuilt: boolean }> {
  const dist = join(opts.repoRoot, 'apps/web', opts.distDir);
  // One lock for every dist dir: concurrent builds would only compete for the same cores.
  return withLock(join(tmpdir(), 'omakase-web-build.d'), async () => {
    const status = await webBuildStatus(opts.repoRoot, opts.distDir);
    if (!status.stale) return { rebuilt: false };
    opts.onBuild?.(status.reason);
    const wanted = await hashWebInputs(opts.repoRoot);
    // Building over a stale dist dir leaves mixed artefacts (missing traces/pages); start clean.
    await rm(dist, { recursive: true, force: true });
    await nextBuild(opts);
    await writeFile(join(dist, STAMP), wanted);
    return { rebuilt: true };
  });
}

function nextBuild(opts: WebBuildOptions): Promise<void> {
  const next = join(opts.repoRoot, 'node_modules/next/dist/bin/next');
  const child = spawn(process.execPath, [next, 'build'], {
    cwd: join(opts.repoRoot, 'apps/web'),
    env: { ...opts.env, NEXT_TELEMETRY_DISABLED: '1', OMAKASE_NEXT_DIST_DIR: opts.distDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      opts.log?.(line);
      tail.push(line);
      if (tail.length > 60) tail.shift();
    });
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`next build failed with exit code ${code ?? 'signal'}:\n${tail.join('\n')}`)),
    );
  });
}

/** A cross-process mutex: `mkdir` is atomic; a lock older than the longest build is stale. */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250)); // another process is building
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
