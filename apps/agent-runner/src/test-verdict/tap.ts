/** TAP (node --test, tap, tape) → test cases, subtests included. */
import { Parser, type Result } from 'tap-parser';
import { boundText, dedupeIds, type TestCase } from './test-case';

interface Point {
  fullname: string;
  result: Result;
}

/**
 * The leaf tests of a TAP stream, named `parent > child`; null when `text` is not TAP (no test
 * point, or neither a `TAP version` line nor a plan). A `# SKIP` or `# TODO` point is skipped:
 * a failing TODO is an expected failure. A parent point only counts when it failed on its own
 * (e.g. a hook) without a failing subtest.
 */
export function parseTap(text: string): TestCase[] | null {
  const points: Point[] = [];
  let sawHeader = false;
  const root = new Parser();
  const attach = (parser: Parser) => {
    parser.on('assert', (result: Result) =>
      points.push({ fullname: result.fullname || result.name, result }),
    );
    parser.on('child', attach);
  };
  attach(root);
  root.on('version', () => {
    sawHeader = true;
  });
  root.on('plan', () => {
    sawHeader = true;
  });
  root.end(text); // tap-parser parses synchronously: every event has fired here
  if (points.length === 0 || !sawHeader) return null;

  const parents = new Set<string>();
  const failingParents = new Set<string>();
  for (const { fullname, result } of points) {
    const failing = !result.ok && !isSkip(result);
    for (let at = fullname.indexOf(' > '); at !== -1; at = fullname.indexOf(' > ', at + 3)) {
      parents.add(fullname.slice(0, at));
      if (failing) failingParents.add(fullname.slice(0, at));
    }
  }
  const cases: TestCase[] = [];
  for (const { fullname, result } of points) {
    if (parents.has(fullname) && (result.ok || failingParents.has(fullname))) continue;
    cases.push(toCase(fullname, result));
  }
  return dedupeIds(cases);
}

const isSkip = (result: Result) => Boolean(result.skip) || Boolean(result.todo);

function toCase(id: string, result: Result): TestCase {
  if (isSkip(result)) {
    const reason =
      typeof result.skip === 'string' ? result.skip : typeof result.todo === 'string' ? result.todo : '';
    return reason ? { id, status: 'skipped', message: boundText(reason) } : { id, status: 'skipped' };
  }
  if (result.ok) return { id, status: 'passed' };
  return { id, status: 'failed', message: boundText(describe(result.diag)) };
}

function describe(diag: unknown): string {
  if (!diag || typeof diag !== 'object') return '';
  const d = diag as Record<string, unknown>;
  const lines: string[] = [];
  const error = d.error ?? d.message;
  if (error !== undefined) lines.push(String(error));
  if ('expected' in d || 'actual' in d)
    lines.push(`expected: ${show(d.expected)}, actual: ${show(d.actual)}`);
  if (typeof d.location === 'string') lines.push(`at ${d.location}`);
  return lines.join('\n');
}

const show = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
