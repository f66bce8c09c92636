import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, migrate } from '../migrate';
import { startTestPostgres } from './server';

export interface TestDatabase {
  /** URL of a fresh, migrated database nobody else uses. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

const TEMPLATE_LOCK_KEY = 7_314_551_002;
let admin: postgres.Sql | undefined;
const templates = new Map<string, Promise<string>>();

/**
 * A fresh, migrated database on the shared test server. Databases are cloned from a migrated
 * template (one per migration set, built once per server across processes), which takes a few
 * tens of milliseconds instead of replaying migrations.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await startTestPostgres();
  const template = await templateFor(server.url);
  const name = `omakase_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const sql = adminFor(server.url);
  await sql.unsafe(`create database "${name}" template "${template}"`);
  let dropped = false;
  return {
    url: withDatabase(server.url, name),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    },
  };
}

function adminFor(serverUrl: string): postgres.Sql {
  admin ??= postgres(serverUrl, { max: 2, onnotice: () => {} });
  return admin;
}

function templateFor(serverUrl: string): Promise<string> {
  let pending = templates.get(serverUrl);
  if (!pending) {
    pending = buildTemplate(serverUrl);
    pending.catch(() => templates.delete(serverUrl));
    templates.set(serverUrl, pending);
  }
  return pending;
}

async function buildTemplate(serverUrl: string): Promise<string> {
  const name = `omakase_template_${await migrationsHash()}`;
  // A dedicated single connection: the advisory lock is held by this session.
  const lock = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
    const [existing] = await lock<{ ready: boolean }[]>`
      select datistemplate as ready from pg_database where datname = ${name}`;
    if (existing?.ready) return name;
    // A half-built template (a crashed builder) is rebuilt from scratch.
    if (existing) await lock.unsafe(`drop database "${name}" with (force)`);
    await lock.unsafe(`create database "${name}"`);
    await migrate(withDatabase(serverUrl, name));
    await lock.unsafe(`alter database "${name}" is_template true`);
    return name;
  } finally {
    await lock`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`.catch(() => {});
    await lock.end();
  }
}

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) hash.update(file).update(await readFile(join(MIGRATIONS_FOLDER, file)));
  return hash.digest('hex').slice(0, 16);
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Closes this process's admin connection (the server itself is stopped by its owner). */
export async function closeTestDatabases(): Promise<void> {
  await admin?.end();
  admin = undefined;
  templates.clear();
}
