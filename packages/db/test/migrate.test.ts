import { readFileSync } from 'node:fs';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrate';
import * as schema from '../src/schema';
import { closeTestDatabases, createTestDatabase, startTestPostgres } from '../src/testing';

afterAll(closeTestDatabases);

async function tablesOf(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1 });
  try {
    const rows = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_schema = 'public' order by 1`;
    return rows.map((r) => r.name);
  } finally {
    await sql.end();
  }
}

async function freshEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = await startTestPostgres();
  const admin = postgres(server.url, { max: 1 });
  const name = `omakase_empty_${Math.random().toString(36).slice(2)}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end();
    },
  };
}

describe('test databases', () => {
  it('reuses the server booted by the global setup', async () => {
    expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres:\/\//);
    expect((await startTestPostgres()).url).toBe(process.env.TEST_DATABASE_URL);
  });

  it('hands out distinct, migrated databases', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(a!.url).not.toBe(b!.url);
    // Every table of the Drizzle schema, created by the committed migrations.
    const schemaTables = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable))
      .sort();
    expect(await tablesOf(a!.url)).toEqual(schemaTables);
    await a!.drop();
    await b!.drop();
  });
});

describe('migrate', () => {
  it('is idempotent and safe to run concurrently', async () => {
    const db = await freshEmptyDatabase();
    try {
      await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
      await migrate(db.url);
      expect(await tablesOf(db.url)).toContain('work_items');
      const sql = postgres(db.url, { max: 1 });
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await sql.end();
      const journal = JSON.parse(
        readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8'),
      );
      expect(row!.n).toBe(journal.entries.length);
    } finally {
      await db.drop();
    }
  });
});
