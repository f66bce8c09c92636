/**
 * The run spec's role limits reach the real SDK session: the role's model is what Claude Code asks
 * the (scripted) model for, and its turn limit ends a session that would go on.
 */
import { join } from 'node:path';
import { type ModelServer, startModelServer } from '@omakase/model-server';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoProject, makeSpec, runRole } from './harness';

let model: ModelServer;
let project: Awaited<ReturnType<typeof demoProject>>;

beforeAll(async () => {
  model = await startModelServer({ logger: pino({ level: 'silent' }) });
  project = await demoProject();
});
afterAll(async () => {
  await model?.stop();
  await project?.cleanup();
});

const limits = { maxTurns: 60, wallClockMs: 10 * 60_000, shellTimeoutMs: 5 * 60_000 };

it("asks for the role's model", async () => {
  const spec = {
    ...makeSpec({ role: 'architect', origin: project.origin }),
    limits: { ...limits, model: 'claude-project-architect-model' },
  };
  const run = await runRole(spec, join(project.root, 'ws-model'), model.url);
  expect(run.result, run.stderr).toMatchObject({ outcome: 'succeeded', exitReason: 'submitted' });
  expect(model.modelsSeen()).toContain('claude-project-architect-model');
});

it("stops at the role's turn limit", async () => {
  const spec = { ...makeSpec({ role: 'coder', origin: project.origin }), limits: { ...limits, maxTurns: 1 } };
  const run = await runRole(spec, join(project.root, 'ws-turns'), model.url);
  expect(run.result, run.stderr).toMatchObject({ outcome: 'failed', exitReason: 'max_turns' });
});
