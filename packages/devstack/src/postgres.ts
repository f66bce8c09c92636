/**
 * A persistent embedded Postgres for the local stack: initialised on first run only, the data
 * directory kept across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { embeddedPostgres } from '@omakase/db/embedded';
import { z } from 'zod';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `omakase` database. */
  url: string;
  /** Whether this call created the cluster (first run). */
  initialised: boolean;
  stop(): Promise<void>;
}

const Credentials = z.object({ password: z.string().min(16) });
const DATABASE = 'omakase';

async function credentials(dataDir: string): Promise<{ password: string }> {
  const file = join(dirname(dataDir), `${DATABASE}-postgres.json`);
  if (existsSync(file)) return Credentials.parse(JSON.parse(await readFile(file, 'utf8')));
  const created = { password: randomBytes(16).toString('hex') };
  await writeFile(file, JSON.stringify(created), { mode: 0o600 });
  return created;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  await mkdir(dirname(opts.dataDir), { recursive: true });
  // The server runs as `postgres`, which must be able to traverse into the data directory.
  await chmod(dirname(opts.dataDir), 0o755).catch(() => {});
  const { password } = await credentials(opts.dataDir);
  const firstRun = !existsSync(join(opts.dataDir, 'PG_VERSION'));
  const pg = embeddedPostgres({
    dataDir: opts.dataDir,
    port: opts.port,
    password,
    disposable: false,
    maxConnections: 200,
    onLog: opts.onLog,
  });
  if (firstRun) await pg.initialise();
  await pg.start();
  // Every start, not only the first: a first run interrupted before this point must heal.
  await pg.createDatabase(DATABASE).catch((error: unknown) => {
    if (!/already exists/.test(String((error as Error)?.message))) throw error;
  });
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${DATABASE}`,
    initialised: firstRun,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
