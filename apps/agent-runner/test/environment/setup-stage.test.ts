/**
 * The setup stage on a real public repository (six, tested with pytest): install into a
 * virtualenv, stage the environment, restore it into another checkout (relocated), run the
 * baseline — with real git, real commands, and the runner's own event sink.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunnerEvent, RunSpec, SetupOutput } from '@omakase/api-contract';
import { fixtureRepository } from '@omakase/test-fixtures';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSink } from '../../src/event-sink';
import { createRedactor } from '../../src/redact';
import { type EnvironmentContext, runSetup } from '../../src/setup-stage';

const exec = promisify(execFile);
const SETUP = 'python3 -m venv --system-site-packages .venv';
const TEST = '.venv/bin/python -m pytest -q -p no:cacheprovider';
const KEY = 'ab'.repeat(16);

let root: string;
let remote: string;
let baseCommit: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omakase-setup-'));
  remote = await fixtureRepository('six', join(root, 'six'));
  baseCommit = (await exec('git', ['-C', remote, 'rev-parse', 'HEAD'])).stdout.trim();
});
afterAll(() => rm(root, { recursive: true, force: true }));

function spec(commands: { setup?: string; test?: string }): RunSpec {
  return {
    run: { id: 'run_setup1', role: 'setup', attempt: 1, input: {} },
    feature: { key: 'SIX-1', title: 'Set up', description: '', acceptanceCriteria: [] },
    project: {
      repositoryUrl: `file://${remote}`,
      defaultBranch: 'main',
      commandAllowlist: [],
      budgetUsd: 1,
      commands,
    },
    workspace: { branch: 'omakase/six-1-set-up', baseCommit },
    limits: { maxTurns: 1, wallClockMs: 600_000, shellTimeoutMs: 300_000 },
  };
}

async function setup(name: string, runSpec: RunSpec, environment: EnvironmentContext) {
  const events: RunnerEvent[] = [];
  const sink = new EventSink({ send: async (batch) => void events.push(...batch), flushIntervalMs: 5 });
  const workspace = join(root, name);
  const result = await runSetup({
    spec: runSpec,
    workspace,
    sink,
    redactor: createRedactor([]),
    signal: new AbortController().signal,
    isolation: { mode: 'none', workspace },
    environment,
    logger: pino({ level: 'silent' }),
  });
  await sink.close(2_000);
  return { result, output: result.output as SetupOutput | null, events, workspace };
}

describe('setup stage on six (pytest)', () => {
  const staging = () => join(root, 'staging');

  it('installs, stages the environment, keeps it out of git and runs the baseline on the base commit', async () => {
    const { result, output, events, workspace } = await setup('ws1', spec({ setup: SETUP, test: TEST }), {
      key: KEY,
      stagingDir: staging(),
    });
    expect(result).toMatchObject({ outcome: 'succeeded', exitReason: 'completed' });
    expect(output?.setup).toMatchObject({ command: SETUP, exitCode: 0, timedOut: false });
    expect(output?.environment).toMatchObject({ key: KEY, restored: false, saved: true, paths: ['.venv'] });
    expect(output?.baseline).toMatchObject({
      baseCommit,
      command: TEST,
      exitCode: 0,
      format: 'junit',
      failing: [],
    });
    expect(events.some((e) => e.type === 'command' && e.payload.command === SETUP)).toBe(true);
    const manifest = JSON.parse(await readFile(join(staging(), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ key: KEY, paths: ['.venv'], workspace });
    // The installed tree is ignored by the checkout's own git: an agent's `git add -A` skips it.
    const status = (await exec('git', ['-C', workspace, 'status', '--porcelain'])).stdout;
    expect(status).toBe('');
  });

  it('restores the cached environment into another checkout, relocated, without installing', async () => {
    const { output, workspace } = await setup('ws2', spec({ setup: 'exit 99', test: TEST }), {
      key: KEY,
      entryDir: staging(),
    });
    expect(output?.setup).toBeNull();
    expect(output?.environment).toMatchObject({ key: KEY, restored: true });
    // pytest from the restored virtualenv runs the suite in the new checkout.
    expect(output?.baseline).toMatchObject({ exitCode: 0, format: 'junit', failing: [] });
    const activate = await readFile(join(workspace, '.venv', 'bin', 'activate'), 'utf8');
    expect(activate).toContain(join(workspace, '.venv'));
    expect(activate).not.toContain(join(root, 'ws1'));
  });

  it('a failing setup is reported with its log tail and nothing is staged', async () => {
    const { result, output } = await setup('ws3', spec({ setup: 'echo "no such package" >&2; exit 3' }), {
      key: 'cd'.repeat(16),
      stagingDir: join(root, 'staging-fail'),
    });
    expect(result.outcome).toBe('succeeded');
    expect(output?.setup).toMatchObject({ exitCode: 3, logTail: expect.stringContaining('no such package') });
    expect(output?.environment).toBeNull();
    await expect(readFile(join(root, 'staging-fail', 'manifest.json'))).rejects.toThrow();
  });

  it('setup gets a developer environment: no NODE_ENV of ours, the registry configuration it was given', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const { output } = await setup(
        'ws4',
        spec({
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
          setup: 'echo "node_env=[${NODE_ENV-}] registry=$npm_config_registry token=${OMAKASE_RUN_TOKEN-}"',
        }),
        { key: 'ef'.repeat(16), setupEnv: { npm_config_registry: 'https://registry.example/' } },
      );
      expect(output?.setup?.logTail).toContain('node_env=[] registry=https://registry.example/ token=');
      expect(output?.setup?.logTail).not.toMatch(/token=\S/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
