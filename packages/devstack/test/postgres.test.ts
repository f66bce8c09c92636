import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/postgres';

const root = await mkdtemp(join(tmpdir(), 'devstack-pg-'));
afterAll(() => rm(root, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('starts, stops and restarts an embedded Postgres keeping its data', { timeout: 120_000 }, async () => {
  const dataDir = join(root, 'postgres');
  const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  expect(first.initialised).toBe(true);
  let sql = postgres(first.url, { max: 1, onnotice: () => {} });
  await sql`create table kept (value text)`;
  await sql`insert into kept values ('still here')`;
  await sql.end();
  await first.stop();

  const second = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  expect(second.initialised).toBe(false);
  sql = postgres(second.url, { max: 1, onnotice: () => {} });
  const rows = await sql<{ value: string }[]>`select value from kept`;
  await sql.end();
  await second.stop();
  expect(rows.map((r) => r.value)).toEqual(['still here']);
});
