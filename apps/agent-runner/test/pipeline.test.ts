import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunnerEvent } from '@omakase/api-contract';
import { type ModelServer, startModelServer } from '@omakase/model-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProject, makeSpec, runRole, TOKEN } from './harness';

const exec = promisify(execFile);
let model: ModelServer;
let project: Awaited<ReturnType<typeof demoProject>>;
let workspace: string;

beforeAll(async () => {
  model = await startModelServer({ logger: pino({ level: 'silent' }) });
  project = await demoProject();
  workspace = join(project.root, 'workspace');
});
afterAll(async () => {
  await model?.stop();
  await project?.cleanup();
});

const types = (events: RunnerEvent[]) => events.map((event) => event.type);
const verdictOf = (events: RunnerEvent[]) =>
  events.find((event) => event.type === 'verdict')?.payload.verdict;

function expectOrderedWithUsage(events: RunnerEvent[]) {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  const usage = events.find((event) => event.type === 'usage');
  expect(usage?.payload.costUsd).toBeGreaterThan(0);
  expect(usage?.payload.tokensIn).toBeGreaterThan(0);
  expect(JSON.stringify(events)).not.toContain(TOKEN);
}

// One feature through every role, in order, in one workspace: each step builds on the last.
describe('a feature through the real SDK and the scripted model', () => {
  it('architect submits a plan without touching the tree', async () => {
    const run = await runRole(makeSpec({ role: 'architect', origin: project.origin }), workspace, model.url);
    expect(run.exit.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'succeeded', exitReason: 'submitted' });
    expect(run.result.output).toMatchObject({ files: expect.arrayContaining(['README.md']) });
    expect(types(run.events)).toEqual(
      expect.arrayContaining(['thought', 'tool_call', 'output', 'verdict', 'usage']),
    );
    expect(run.result.usage.costUsd).toBeGreaterThan(0);
    expectOrderedWithUsage(run.events);
    expect(run.authFailures).toEqual([]);
    expect((await exec('git', ['branch', '--show-current'], { cwd: workspace })).stdout.trim()).toBe(
      'omakase/demo-7-add-gift-wrapping',
    );
    expect((await exec('git', ['status', '--porcelain'], { cwd: workspace })).stdout).toBe('');
  });

  it('coder writes a change, the runner commits it, and the demo tests pass on the branch', async () => {
    const run = await runRole(makeSpec({ role: 'coder', origin: project.origin }), workspace, model.url);
    expect(run.exit.code, run.stderr).toBe(0);
    expect(run.result).toMatchObject({ outcome: 'succeeded', exitReason: 'completed' });
    const edits = run.events.filter((event) => event.type === 'file_edit').map((event) => event.payload.path);
    expect(edits).toEqual(expect.arrayContaining(['src/features/add-gift-wrapping.js', 'README.md']));
    expect(run.events.some((event) => event.type === 'command' && event.payload.command === 'npm test')).toBe(
      true,
    );
    expectOrderedWithUsage(run.events);
    const log = (await exec('git', ['log', '-1', '--format=%an <%ae>|%s'], { cwd: workspace })).stdout.trim();
    expect(log).toBe('Omakase Coder <coder@omakase.local>|DEMO-7: Add gift wrapping (coder, attempt 1)');
    expect((await exec('git', ['status', '--porcelain'], { cwd: workspace })).stdout).toBe('');
    const { stdout } = await exec('npm', ['test'], { cwd: workspace });
    expect(stdout).toMatch(/# pass 8/);
  });

  let firstReview: Record<string, unknown>;
  it('reviewer requests changes on the first round', async () => {
    const run = await runRole(makeSpec({ role: 'reviewer', origin: project.origin }), workspace, model.url);
    expect(run.exit.code, run.stderr).toBe(0);
    expect(run.result.output).toMatchObject({
      verdict: 'REQUEST_CHANGES',
      comments: [{ file: 'src/features/add-gift-wrapping.js', line: 7 }],
    });
    expect(verdictOf(run.events)).toEqual(run.result.output);
    expect(run.events.find((event) => event.type === 'command')?.payload.command).toBe(
      'git diff main...HEAD',
    );
    firstReview = run.result.output!;
  });

  it('coder addresses the review on attempt 2', async () => {
    const spec = makeSpec({
      role: 'coder',
      origin: project.origin,
      attempt: 2,
      input: { review: firstReview as never },
    });
    const run = await runRole(spec, workspace, model.url);
    expect(run.exit.code, run.stderr).toBe(0);
    const source = (await exec('git', ['show', 'HEAD:src/features/add-gift-wrapping.js'], { cwd: workspace }))
      .stdout;
    expect(source).toContain('@returns');
    expect((await exec('git', ['log', '-1', '--format=%s'], { cwd: workspace })).stdout).toContain(
      'attempt 2',
    );
  });

  it('reviewer approves when the input carries the previous review', async () => {
    const spec = makeSpec({
      role: 'reviewer',
      origin: project.origin,
      attempt: 2,
      input: { review: firstReview as never },
    });
    const run = await runRole(spec, workspace, model.url);
    expect(run.result.output).toMatchObject({ verdict: 'APPROVE' });
  });

  it('tester reports the real numbers of the test run', async () => {
    const run = await runRole(makeSpec({ role: 'tester', origin: project.origin }), workspace, model.url);
    expect(run.exit.code, run.stderr).toBe(0);
    expect(run.result.output).toEqual({ passed: true, total: 8, failed: 0, failures: [] });
    expectOrderedWithUsage(run.events);
  });
});
