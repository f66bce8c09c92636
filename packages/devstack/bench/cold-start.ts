/**
 * Cold-start benchmark: `npm start` on an empty data directory, timed until the login page
 * (the web's /auth/login, followed to the identity provider's form) answers 200. Then stops it.
 * Run: npx tsx packages/devstack/bench/cold-start.ts
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ColdStartResult {
  /** Seconds from spawning `npm start` to the login page answering 200. */
  seconds: number;
  /** Seconds for the stack to stop after SIGINT. */
  stopSeconds: number;
  exitCode: number | null;
  /** Signal that ended `npm start`, if any. */
  signal: NodeJS.Signals | null;
  /** Whether the run included a `next build` (sources newer than the last build). */
  webBuilt: boolean;
}

/**
 * Status of the sign-in page reached from the web's /auth/login: follows the redirects by hand
 * because the issuer's interaction needs the cookie set on the way.
 */
async function loginPageStatus(start: string): Promise<number> {
  const cookies = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 6; hop++) {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie },
      signal: AbortSignal.timeout(5000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = res.headers.get('location');
    if (!location) return res.status;
    url = new URL(location, url);
  }
  return 0;
}

function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

export async function measureColdStart(
  opts: {
    port?: number;
    issuerPort?: number;
    postgresPort?: number;
    modelServerPort?: number;
    timeoutMs?: number;
  } = {},
): Promise<ColdStartResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'omakase-cold-start-'));
  const port = opts.port ?? 3900;
  const postgresPort = opts.postgresPort ?? 5900;
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A newcomer's shell: nothing that earlier benchmarks in this process put into process.env.
    env: {
      ...newcomerEnv(),
      OMAKASE_DATA_DIR: dataDir,
      PORT: String(port),
      ISSUER_PORT: String(opts.issuerPort ?? 4900),
      POSTGRES_PORT: String(postgresPort),
      MODEL_SERVER_PORT: String(opts.modelServerPort ?? 4910),
    },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
    let seconds: number | undefined;
    while (seconds === undefined) {
      if (Date.now() > deadline)
        throw new Error(`login page not ready in time; output:\n${output.slice(-3000)}`);
      const status = await loginPageStatus(`http://localhost:${port}/auth/login`).catch(() => 0);
      if (status === 200) seconds = (performance.now() - started) / 1000;
      else if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output.slice(-3000)}`);
      else await new Promise((r) => setTimeout(r, 250));
    }
    const stopping = performance.now();
    // Like Ctrl-C in a terminal: SIGINT to the whole foreground group (npm, sh, the start script).
    process.kill(-(child.pid as number), 'SIGINT');
    const { code: exitCode, signal } = await exited;
    // npm may exit before the script finished stopping; stopped means the ports are released.
    while (!(await portClosed(port)) || !(await portClosed(postgresPort)))
      await new Promise((r) => setTimeout(r, 100));
    const webBuilt = output.includes('building the web app');
    return { seconds, stopSeconds: (performance.now() - stopping) / 1000, exitCode, signal, webBuilt };
  } finally {
    try {
      process.kill(-(child.pid as number), 'SIGKILL'); // whatever survived, on failure paths
    } catch {
      // Nothing left of the group.
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await measureColdStart();
  console.log(
    `cold start: login page 200 after ${result.seconds.toFixed(1)} s; stopped in ${result.stopSeconds.toFixed(1)} s (exit ${result.exitCode ?? result.signal})${result.webBuilt ? ', including next build' : ''}`,
  );
}

function newcomerEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'SHELL', 'LANG', 'TERM', 'TMPDIR', 'NODE_EXTRA_CA_CERTS'];
  return Object.fromEntries(keep.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])));
}
