/**
 * The engine is the only writer of feature and run status: no other source file passes a
 * `status` in a `features.update` / `runs.update` patch (the Postgres store implements the port,
 * so it is not a caller). Read from the sources, so a new writer anywhere fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const OWNERS = ['packages/engine/', 'packages/db/', 'packages/domain/'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The text of each `(runs|features).update(…)` call's arguments (parentheses balanced). */
function updateCalls(text: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(/\b(?:runs|features)\s*\.update\s*\(/g)) {
    let depth = 1;
    let end = match.index + match[0].length;
    while (depth > 0 && end < text.length) {
      const ch = text[end++];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    calls.push(text.slice(match.index, end));
  }
  return calls;
}

const callers = ['apps', 'packages'].flatMap((top) =>
  readdirSync(join(root, top)).flatMap((name) => {
    try {
      return sources(join(root, top, name, 'src'));
    } catch {
      return []; // a package without src/
    }
  }),
);

it('finds the callers it checks (the scan itself works)', () => {
  const withUpdates = callers.filter((file) => updateCalls(readFileSync(file, 'utf8')).length > 0);
  expect(withUpdates.map((file) => relative(root, file))).toContain('apps/web/src/server/runner-api.ts');
  expect(
    updateCalls('store.runs.update(id, { status: "running", at: f(x) }, { expectedStatus: "queued" })'),
  ).toEqual(['runs.update(id, { status: "running", at: f(x) }, { expectedStatus: "queued" })']);
});

it('no code outside the engine writes a feature or run status', () => {
  const writers = callers
    .filter((file) => !OWNERS.some((owner) => relative(root, file).startsWith(owner)))
    .flatMap((file) =>
      updateCalls(readFileSync(file, 'utf8'))
        .filter((call) => /[{,]\s*status\s*:/.test(call))
        .map((call) => `${relative(root, file)}: ${call.replace(/\s+/g, ' ')}`),
    );
  expect(writers).toEqual([]);
});
