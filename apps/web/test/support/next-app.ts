/** Builds the app once per source change and runs `next start` on a free port for browser tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureWebBuild } from '@omakase/devstack/web-build';

const WEB_DIR = resolve(import.meta.dirname, '../..');
const REPO = resolve(WEB_DIR, '../..');
const NEXT_BIN = join(REPO, 'node_modules/next/dist/bin/next');
const DIST_DIR = 'node_modules/.cache/omakase-web-e2e';

/** Builds into the tests' own dist dir when the inputs changed (shared logic with `npm start`). */
export function ensureBuilt(): Promise<{ rebuilt: boolean }> {
  return ensureWebBuild({ repoRoot: REPO, distDir: DIST_DIR, env: process.env });
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
