/**
 * Every work kind anything writes has a handler and an attempt budget: the engine's catalog and
 * Linear's kinds — including the kinds the SQL triggers in the committed migrations enqueue,
 * which no TypeScript grep would find.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_ATTEMPTS, maxAttemptsOf, WORK, WORK_MAX_ATTEMPTS } from '@omakase/engine';
import { expect, it } from 'vitest';
import { LinearWorker } from '../src/linear';
import { LINEAR_WORK } from '../src/linear/context';

const MIGRATIONS = resolve(import.meta.dirname, '../../../packages/db/migrations');

/** The `kind` literals of `INSERT INTO work_items` statements in the migrations' SQL functions. */
async function kindsWrittenBySql(): Promise<string[]> {
  const kinds = new Set<string>();
  for (const file of (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql'))) {
    const text = await readFile(join(MIGRATIONS, file), 'utf8');
    for (const insert of text.matchAll(
      /INSERT INTO work_items\s*\(([^)]*)\)\s*VALUES\s*\(([^;]*?)\)\s*ON CONFLICT/gis,
    )) {
      const columns = insert[1]!.split(',').map((c) => c.trim());
      const values = insert[2]!.split(',').map((v) => v.trim());
      const kind = values[columns.indexOf('kind')];
      if (kind) kinds.add(kind.replace(/^'|'$/g, ''));
    }
  }
  return [...kinds];
}

it('knows every kind the SQL triggers enqueue', async () => {
  const written = await kindsWrittenBySql();
  expect(written).toContain(LINEAR_WORK.feature);
  const known = new Set<string>([...Object.values(WORK), ...Object.values(LINEAR_WORK)]);
  expect(written.filter((kind) => !known.has(kind))).toEqual([]);
  for (const kind of written) expect(LinearWorker.handles(kind) || kind in WORK_MAX_ATTEMPTS).toBe(true);
});

it('gives every engine kind its own attempt budget', () => {
  for (const kind of Object.values(WORK)) expect(WORK_MAX_ATTEMPTS[kind]).toBeGreaterThan(0);
  expect(maxAttemptsOf('some.other.kind')).toBe(DEFAULT_MAX_ATTEMPTS);
});
