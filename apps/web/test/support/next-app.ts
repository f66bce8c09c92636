/**
 * Builds the app once per source change (hash of the inputs stored next to the build) and runs `next start`
 * on a free port for browser tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WEB_DIR = resolve(import.meta.dirname, '../..');
const REPO = resolve(WEB_DIR, '../..');
const NEXT_BIN = join(REPO, 'node_modules/next/dist/bin/next');
const DIST_DIR = 'node_modules/.cache/omakase-web-e2e';
const STAMP = join(WEB_DIR, DIST_DIR, '.omakase-build-hash');
const BUILD_LOCK = join(tmpdir(), 'omakase-web-build.lock');
const INPUTS = [
  'apps/web/src',
  'apps/web/next.config.ts',
  'apps/web/postcss.config.mjs',
  'apps/web/package.json',
  'packages/api-contract/src',
  'packages/auth/src',
  'packages/config/src',
  'packages/db/src',
  'packages/domain/src',
  'packages/engine/src',
];

async function hashInputs(): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string): Promise<void> => {
    if ((await stat(path)).isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await visit(join(path, entry));
    } else {
      hash.update(path).update(await readFile(path));
    }
  };
  for (const input of INPUTS) await visit(join(REPO, input));
  return hash.digest('hex');
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Same lock as devstack's builds: concurrent builds only compete for the two cores.
    const child = spawn('flock', [BUILD_LOCK, process.execPath, NEXT_BIN, ...args], {
      cwd: WEB_DIR,
      env: { ...env, OMAKASE_NEXT_DIST_DIR: DIST_DIR },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`next ${args[0]} failed (${code}):\n${output.slice(-4000)}`)),
    );
  });
}

/** Builds when the inputs changed. Test processes share one `.next`, so builds are serialised. */
export function ensureBuilt(): Promise<{ rebuilt: boolean }> {
  return withBuildLock(async () => {
    const wanted = await hashInputs();
    const current = await readFile(STAMP, 'utf8').catch(() => '');
    if (current === wanted) return { rebuilt: false };
    // Building over a stale .next leaves mixed artefacts (missing traces/pages); start clean.
    await rm(join(WEB_DIR, '.next'), { recursive: true, force: true });
    await run(['build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
    await writeFile(STAMP, wanted);
    return { rebuilt: true };
  });
}

/** A cross-process mutex: `mkdir` is atomic; a lock older than the longest build is stale. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'omakase-web-test-build.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ));
      if (age > 10 * 60_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250)); // waiting for another process's build
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

export async function startNext(port: number, env: Record<string, string>): Promise<RunningApp> {
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', 'localhost'],
    {
      cwd: WEB_DIR,
      env: {
        ...process.env,
        ...env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        OMAKASE_NEXT_DIST_DIR: DIST_DIR,
      },
      stdio: 'pipe',
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://localhost:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`next start exited (${code}):\n${output}`))),
  );
  await Promise.race([waitForHealth(url), exited]);
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls /api/health until the server answers 200 (readiness condition, bounded). */
async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}
