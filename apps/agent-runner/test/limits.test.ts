/**
 * The run spec's role limits reach the real SDK session: the role's model is what Claude Code asks
 * the (scripted) model for, its turn limit ends a session that would go on, and its shell timeout
 * is the Bash tool's (a command outliving it is killed; one within it finishes).
 */
import { join } from 'node:path';
import type { RunnerEvent } from '@omakase/api-contract';
import { type ModelServer, startModelServer } from '@omakase/model-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('shell timeout', () => {
  // A planted Bash call (packages/model-server injected steps) that takes ~4 s.
  const slow = (shellTimeoutMs: number) => {
    const spec = makeSpec({ role: 'coder', origin: project.origin });
    const step = [{ tool: 'Bash', input: { command: 'sleep 4 && echo slow-command-finished' } }];
    spec.feature.description += `\n\n\`\`\`omakase-script coder\n${JSON.stringify(step)}\n\`\`\`\n`;
    spec.project.commandAllowlist = [...spec.project.commandAllowlist, 'sleep', 'echo'];
    return { ...spec, limits: { ...limits, shellTimeoutMs } };
  };
  const outputs = (events: RunnerEvent[]) =>
    events.filter((event) => event.type === 'output').map((event) => String(event.payload.text));

  it('kills a command that outlives it', async () => {
    const run = await runRole(slow(1500), join(project.root, 'ws-shell-short'), model.url);
    const texts = outputs(run.events);
    expect(texts.join('\n'), run.stderr).not.toContain('slow-command-finished');
    // Claude Code's own message: its default (2 minutes) would have let the command finish.
    expect(texts.join('\n')).toMatch(/Command timed out after 1s/);
  });

  it('lets a command within it finish', async () => {
    const run = await runRole(slow(20_000), join(project.root, 'ws-shell-long'), model.url);
    expect(outputs(run.events).join('\n'), run.stderr).toContain('slow-command-finished');
  });
});
