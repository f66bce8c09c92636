import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedPostgres } from '../embedded-postgres';

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

/** Stops this process's embedded server if one was booted (scripts that end without vitest's teardown). */
export async function stopTestPostgres(): Promise<void> {
  await (await running?.catch(() => undefined))?.stop();
}

async function bootEmbeddedPostgres(): Promise<TestPostgres> {
  const root = await mkdtemp(join(tmpdir(), 'omakase-pg-'));
  // The server runs as the `postgres` user, which must be able to traverse into the data dir.
  await chmod(root, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const pg = embeddedPostgres({
    dataDir: join(root, 'data'),
    port,
    password,
    disposable: true,
    maxConnections: 400,
    // Silent: shutdown logs expected FATALs; a failed boot rejects initialise()/start() instead.
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
