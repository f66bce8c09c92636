import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JUnitParseError,
  MAX_MESSAGE_BYTES,
  parseJUnit,
  parseTap,
  type TestCase,
} from '../../src/test-verdict';
import { childEnv, exec, tempDir, writeFiles } from './support';

const statusOf = (cases: TestCase[]) => Object.fromEntries(cases.map((c) => [c.id, c.status]));
const byId = (cases: TestCase[], id: string) => cases.find((c) => c.id === id);

// Real reports: pytest and node --test run here on small suites covering each outcome.
const PYTEST_SUITE = `
import pytest

class TestGroup:
    def test_ok(self):
        assert True
    def test_bad(self):
        assert 1 == 2, "one is not two"

def test_raises():
    raise RuntimeError("boom")

@pytest.mark.skip(reason="not today")
def test_skipped():
    pass

@pytest.fixture
def broken():
    raise ValueError("fixture broke")

def test_setup_error(broken):
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False

@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    assert n == 1

def test_huge_message():
    raise AssertionError("é" * 10000)
`;

const NODE_SUITE = `
import { describe, test } from 'node:test';
import assert from 'node:assert';
describe('suite', () => {
  test('ok', () => {});
  test('bad', () => { assert.equal(1, 2); });
  describe('inner', () => { test('deep', () => {}); });
});
test('top', () => {});
test('skipped', { skip: 'later' }, () => {});
test('todo', { todo: 'unfinished' }, () => { throw new Error('not yet'); });
test('parent', async (t) => {
  await t.test('child ok', () => {});
  await t.test('child bad', () => { throw new Error('child failed'); });
});
test('hook fails', async (t) => {
  t.after(() => { throw new Error('after hook failed'); });
  await t.test('inside ok', () => {});
});
`;

let junitXml: string;
let tapText: string;
let dir: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('results');
  await writeFiles(dir.dir, { 'test_sample.py': PYTEST_SUITE, 'sample.test.mjs': NODE_SUITE });
  const xmlPath = join(dir.dir, 'report.xml');
  await exec(
    'python3',
    ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${xmlPath}`, 'test_sample.py'],
    {
      cwd: dir.dir,
      env: childEnv(),
    },
  ).catch((error) => {
    if (error.code !== 1) throw error; // 1: tests failed, as intended
  });
  junitXml = await readFile(xmlPath, 'utf8');
  tapText = await exec('node', ['--test', 'sample.test.mjs'], { cwd: dir.dir, env: childEnv() }).then(
    () => {
      throw new Error('the node suite was expected to fail');
    },
    (error) => error.stdout as string,
  );
});
afterAll(() => dir.cleanup());

describe('parseJUnit on real pytest output', () => {
  it('names tests classname::name and maps every outcome', () => {
    expect(statusOf(parseJUnit(junitXml))).toEqual({
      'test_sample.TestGroup::test_ok': 'passed',
      'test_sample.TestGroup::test_bad': 'failed',
      'test_sample::test_raises': 'failed',
      'test_sample::test_skipped': 'skipped',
      'test_sample::test_setup_error': 'failed', // <error>: fixture setup failed
      'test_sample::test_expected_failure': 'skipped', // xfail
      'test_sample::test_param[1]': 'passed',
      'test_sample::test_param[2]': 'failed',
      'test_sample::test_huge_message': 'failed',
    });
  });

  it('keeps the failure message and body, bounded to 2 KB', () => {
    const cases = parseJUnit(junitXml);
    expect(byId(cases, 'test_sample.TestGroup::test_bad')?.message).toMatch(/one is not two/);
    expect(byId(cases, 'test_sample::test_setup_error')?.message).toMatch(/fixture broke/);
    expect(byId(cases, 'test_sample::test_skipped')?.message).toMatch(/not today/);
    const huge = byId(cases, 'test_sample::test_huge_message')?.message ?? '';
    expect(huge.length).toBeGreaterThan(1000);
    expect(Buffer.byteLength(huge)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(huge.endsWith('…')).toBe(true);
  });

  it('walks nested testsuites, naming by suite path when there is no classname', () => {
    const xml = `<?xml version="1.0"?>
<testsuites>
  <testsuite name="outer">
    <testcase name="a"/>
    <testsuite name="inner">
      <testcase name="b"><failure message="nope"/></testcase>
      <testcase name="c"><skipped/></testcase>
      <testcase name="d"><error>crashed</error></testcase>
    </testsuite>
  </testsuite>
  <testsuite name="second"><testcase name="a"/><testcase name="a"/></testsuite>
</testsuites>`;
    expect(parseJUnit(xml)).toEqual([
      { id: 'outer > a', status: 'passed' },
      { id: 'outer > inner > b', status: 'failed', message: 'nope' },
      { id: 'outer > inner > c', status: 'skipped' },
      { id: 'outer > inner > d', status: 'failed', message: 'crashed' },
      { id: 'second > a', status: 'passed' },
      { id: 'second > a [2]', status: 'passed' },
    ]);
  });

  it('accepts a lone <testsuite> root and returns nothing for other XML', () => {
    expect(parseJUnit('<testsuite name="s"><testcase classname="k" name="t"/></testsuite>')).toEqual([
      { id: 'k::t', status: 'passed' },
    ]);
    expect(parseJUnit('<project><name>x</name></project>')).toEqual([]);
  });

  it('throws on malformed XML', () => {
    expect(() => parseJUnit(junitXml.slice(0, junitXml.length / 2))).toThrow(JUnitParseError);
  });
});

describe('parseTap on real node --test output', () => {
  it('returns the leaf tests named by their parents, with SKIP and TODO as skipped', () => {
    expect(statusOf(parseTap(tapText) ?? [])).toEqual({
      'suite > ok': 'passed',
      'suite > bad': 'failed',
      'suite > inner > deep': 'passed',
      top: 'passed',
      skipped: 'skipped',
      todo: 'skipped',
      'parent > child ok': 'passed',
      'parent > child bad': 'failed',
      'hook fails > inside ok': 'passed',
      'hook fails': 'failed', // failed on its own: its subtest passed
    });
  });

  it('carries the error of a failing test', () => {
    const cases = parseTap(tapText) ?? [];
    expect(byId(cases, 'parent > child bad')?.message).toMatch(/child failed/);
    expect(byId(cases, 'suite > bad')?.message).toMatch(/expected: 2, actual: 1/);
    expect(byId(cases, 'skipped')?.message).toBe('later');
  });

  it('ignores non-TAP lines around the stream (npm run prints its own)', () => {
    const cases = parseTap(`\n> pkg@1.0.0 test\n> node --test\n\n${tapText}`);
    expect(cases).toHaveLength(10);
  });

  it('is null for output that is not TAP', () => {
    expect(parseTap('  Total:     44\n  Passed:    44\n  Skipped:   0\n')).toBeNull();
    expect(parseTap('')).toBeNull();
    expect(parseTap('TAP version 13\n')).toBeNull(); // a header without a test is no result
  });
});
