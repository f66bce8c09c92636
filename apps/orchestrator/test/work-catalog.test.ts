/**
 * Every work kind anything writes is in the engine's catalog, with an attempt budget and checked
 * subject and payload — including the kinds the SQL triggers in the committed migrations enqueue,
 * which no TypeScript grep would find.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { newId, type WorkItem } from '@omakase/domain';
import {
  isWorkKind,
  LINEAR_WORK_KINDS,
  MalformedWorkItem,
  maxAttemptsOf,
  parseWorkItem,
  WORK,
  WORK_CATALOG,
  type WorkKind,
} from '@omakase/engine';
import { expect, it } from 'vitest';
import { LINEAR_WORK } from '../src/linear/context';

const MIGRATIONS = resolve(import.meta.dirname, '../../../packages/db/migrations');

/**
 * The `kind` literals the migrations' SQL functions write: in `INSERT INTO work_items` statements
 * and in calls of `omakase_enqueue(org, kind, …)`. The one insert with a non-literal kind is
 * `omakase_enqueue`'s own (its parameter); calls with a non-literal kind pass on what the engine
 * decided (`omakase_commit_transition`), typed by the catalog on the TypeScript side.
 */
async function kindsWrittenBySql(): Promise<{ kinds: string[]; nonLiteral: string[] }> {
  const kinds = new Set<string>();
  const nonLiteral = new Set<string>();
  const note = (value: string | undefined) => {
    if (!value) return;
    if (/^'[^']*'$/.test(value)) kinds.add(value.slice(1, -1));
    else nonLiteral.add(value);
  };
  for (const file of (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql'))) {
    const text = await readFile(join(MIGRATIONS, file), 'utf8');
    for (const insert of text.matchAll(
      /INSERT INTO work_items\s*\(([^)]*)\)\s*VALUES\s*\(([^;]*?)\)\s*ON CONFLICT/gis,
    )) {
      const columns = insert[1]!.split(',').map((c) => c.trim());
      const values = insert[2]!.split(',').map((v) => v.trim());
      note(values[columns.indexOf('kind')]);
    }
    for (const call of text.matchAll(/PERFORM omakase_enqueue\(\s*[^,]+,\s*([^,]+),/gi))
      note(call[1]!.trim());
  }
  return { kinds: [...kinds], nonLiteral: [...nonLiteral] };
}

it('knows every kind the SQL triggers and units enqueue', async () => {
  const { kinds, nonLiteral } = await kindsWrittenBySql();
  expect(kinds).toContain(LINEAR_WORK.feature);
  expect(kinds).toContain('run.completed');
  expect(kinds.filter((kind) => !isWorkKind(kind))).toEqual([]);
  expect(nonLiteral.sort()).toEqual(['p_kind', "v_item->>'kind'"]);
});

it('gives every kind an attempt budget, and the Linear kinds their own names', () => {
  for (const kind of Object.keys(WORK_CATALOG) as WorkKind[]) expect(maxAttemptsOf(kind)).toBeGreaterThan(0);
  expect(Object.values(LINEAR_WORK).sort()).toEqual([...LINEAR_WORK_KINDS].sort());
  expect(Object.values(WORK).every(isWorkKind)).toBe(true);
});

const ORG = newId('org');
const item = (kind: string, subjectId: string, payload: Record<string, unknown> = {}): WorkItem => ({
  id: 'wrk_1',
  orgId: ORG,
  kind,
  subjectId,
  payload,
  attempts: 1,
  runAfter: new Date(),
  leaseOwner: 'w',
  leaseExpiresAt: null,
});

it('parses an item by its kind: subject and payload checked, defaults applied', () => {
  const feature = newId('feat');
  expect(parseWorkItem(item(WORK.push, feature))).toMatchObject({
    kind: 'feature.push',
    payload: { attempt: 1 },
  });
  expect(parseWorkItem(item(WORK.push, feature, { attempt: 3 })).payload).toEqual({ attempt: 3 });
  expect(parseWorkItem(item(LINEAR_WORK.inbox, `${ORG}/issue-1`)).subjectId).toBe(`${ORG}/issue-1`);
});

it('refuses malformed items: unknown kind, wrong subject, bad or unexpected payload', () => {
  const cases: [WorkItem, RegExp][] = [
    [item('some.other.kind', newId('run')), /unknown work kind some.other.kind/],
    [item(WORK.launch, newId('feat')), /run.launch: subject must be a run_ id/],
    [item(WORK.push, newId('feat'), { attempt: 0 }), /feature.push: payload attempt/],
    [item(WORK.schedule, newId('proj'), { extra: true }), /project.schedule: payload/],
    [item(LINEAR_WORK.outbox, 'issue-without-org'), /linear.outbox: subject must be <org id>\/<id>/],
  ];
  for (const [bad, message] of cases) {
    expect(() => parseWorkItem(bad)).toThrow(MalformedWorkItem);
    expect(() => parseWorkItem(bad)).toThrow(message);
  }
});
