/**
 * Each fixture is what repos/README.md claims, proven WITHOUT our pipeline: a fresh clone, the
 * project's own setup against this machine's configured package sources, its own test runner.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_DEFAULT_BRANCH,
  FIXTURES,
  FIXTURES_DIR,
  FixtureError,
  type FixtureName,
  fixtureRepository,
} from '../src';

const git = async (dir: string, ...args: string[]) =>
  (await promisify(execFile)('git', ['-C', dir, ...args])).stdout.trim();

const temps: string[] = [];
const fresh = async (name: string) => {
  const dir = await mkdtemp(join(tmpdir(), `fixture-${name}-`));
  temps.push(dir);
  return dir;
};
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A developer's shell: no npm lifecycle variables from the `npm test` running us, no NODE_ENV. */
function developerEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_ENV'),
  );
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };
}

/** Runs one shell command line in `cwd`; output is stdout and stderr interleaved, ANSI removed. */
function sh(cwd: string, command: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: developerEnv() });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output: stripVTControlCharacters(output) }));
  });
}

async function configuredNpmRegistryHost(): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['config', 'get', 'registry'], { env: developerEnv() });
  return new URL(stdout.trim()).host;
}

const names = Object.keys(FIXTURES) as FixtureName[];

describe.each(names)('fixture %s', (name) => {
  const fixture = FIXTURES[name];

  it('is one commit on main with the recorded upstream tree, no remote, its licence beside the bundle', async () => {
    const dir = await fixtureRepository(name, await fresh(name));
    expect(await git(dir, 'symbolic-ref', '--short', 'HEAD')).toBe(FIXTURE_DEFAULT_BRANCH);
    expect(await git(dir, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(await git(dir, 'rev-parse', 'HEAD^{tree}')).toBe(fixture.tree);
    expect(await git(dir, 'log', '-1', '--format=%B')).toContain(`Upstream commit ${fixture.upstreamCommit}`);
    expect(await git(dir, 'remote')).toBe('');
    expect(await git(dir, 'status', '--porcelain')).toBe('');
    expect(await git(dir, 'rev-parse', '--is-bare-repository')).toBe('false');
    const licence = await readFile(join(dir, fixture.licenseFile), 'utf8');
    expect(licence).toMatch(/MIT License|Permission is hereby granted, free of charge/);
    expect(await readFile(join(FIXTURES_DIR, `${name}.${fixture.licenseFile}`), 'utf8')).toBe(licence);
  });

  it('names no package registry host and has no lockfile with resolved registry URLs', async () => {
    const dir = await fixtureRepository(name, await fresh(name));
    const files = (await git(dir, 'ls-files')).split('\n');
    expect(
      files.filter((f) =>
        /(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock)$/.test(f),
      ),
    ).toEqual([]);
    const npmHost = await configuredNpmRegistryHost();
    const offending: string[] = [];
    for (const file of files) {
      const text = await readFile(join(dir, file), 'latin1');
      if (text.includes(npmHost)) offending.push(`${file}: ${npmHost}`);
      for (const [host] of text.matchAll(/\b[\w.-]*(registry|pypi|pythonhosted)[\w.-]*\.[a-z]{2,}\b/gi)) {
        offending.push(`${file}: ${host}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

describe('fixtureRepository', () => {
  it('refuses a non-empty destination and an unknown name', async () => {
    const dir = await fresh('busy');
    await writeFile(join(dir, 'keep.txt'), 'x');
    await expect(fixtureRepository('dequal', dir)).rejects.toThrow(/non-empty/);
    expect(await readdir(dir)).toEqual(['keep.txt']);
    await expect(fixtureRepository('nope' as FixtureName, await fresh('nope'))).rejects.toThrow(FixtureError);
  });
});

describe.concurrent('the projects build and pass their own tests here', () => {
  it('dequal: npm install from the configured registry, then uvu runs 44 tests', async () => {
    const dir = await fixtureRepository('dequal', await fresh('dequal-run'));
    const setup = await sh(dir, `${FIXTURES.dequal.setup} --no-audit --no-fund`);
    expect(setup.code, setup.output).toBe(0);
    const test = await sh(dir, FIXTURES.dequal.test);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/^\s*Total:\s+44$/m);
    expect(test.output).toMatch(/^\s*Passed:\s+44$/m);
  });

  it("six: a virtualenv over Debian's python3-pytest, then pytest: 184 passed, 16 skipped", async () => {
    const dir = await fixtureRepository('six', await fresh('six-run'));
    const setup = await sh(dir, FIXTURES.six.setup.replace(/^python3 /, '/usr/bin/python3 '));
    expect(setup.code, setup.output).toBe(0);
    const test = await sh(dir, `${FIXTURES.six.test} -p no:cacheprovider`);
    expect(test.code, test.output).toBe(0);
    expect(test.output).toMatch(/^=* ?184 passed, 16 skipped in [\d.]+s ?=*$/m);
  });
});
