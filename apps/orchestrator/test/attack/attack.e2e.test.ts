/**
 * The attack suite: hostile agents (attacks.ts) run through the real pipeline — real runner,
 * real Claude Agent SDK, real sandbox, real git, the web API — and afterwards nothing ran on the
 * host, no credential reached the agent, pushes landed only on the project's remote, and every
 * refused step was refused with a reason. All attacks run at once on one stack.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Feature, newId } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitUntilSettled } from '../stack';
import {
  ATTACKS,
  type AttackName,
  type AttackTargets,
  attackDescription,
  type TokenTheftFindings,
} from './attacks';

const exec = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  exec('git', ['-C', cwd, ...args], { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1' } });

let stack: Stack;
let targets: AttackTargets;
let hostService: Server;
let hostConnections = 0;
const foreignSecret = `foreign-secret-${randomBytes(8).toString('hex')}`;
const settled = new Map<AttackName, Feature>();

beforeAll(async () => {
  stack = await startStack();
  hostService = createServer((socket) => {
    hostConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => hostService.listen(0, '127.0.0.1', resolve));
  const port = (hostService.address() as { port: number }).port;
  const decoyRepo = join(stack.dataDir, 'decoy.git');
  await exec('git', ['init', '--quiet', '--bare', decoyRepo]);
  const foreignWorkspace = join(stack.dataDir, 'workspaces', newId('org'), newId('feat'));
  await mkdir(foreignWorkspace, { recursive: true });
  await writeFile(join(foreignWorkspace, 'secret.txt'), foreignSecret);
  targets = {
    canaryDir: join(stack.dataDir, 'canary'),
    decoyRepo,
    remoteUrl: stack.project.repositoryUrl,
    foreignWorkspace,
    hostServicePort: port,
    apiUrl: stack.web.url,
  };
  await mkdir(targets.canaryDir);

  const names = Object.keys(ATTACKS) as AttackName[];
  await stack.store.projects.update(stack.project.id, { settings: { maxConcurrentAgents: names.length } });
  await stack.startOrchestrator('orch-attack');
  const features = await Promise.all(
    names.map(async (name) => {
      const feature = await stack.store.features.create(stack.project.id, {
        title: `Attack ${name}`,
        description: attackDescription(ATTACKS[name], targets),
      });
      await startFeature(stack.store, feature.id, { orgMaxConcurrentAgents: 10 });
      return [name, feature] as const;
    }),
  );
  for (const [name, feature] of features)
    settled.set(name, await waitUntilSettled(stack.storage, stack.store, feature));
}, 400_000);

afterAll(async () => {
  hostService?.close();
  await stack?.close();
});

/** A file of the branch as it landed on the project's remote. */
const pushedFile = async (feature: Feature, path: string) =>
  (await git(stack.repoDir, 'show', `refs/heads/${feature.branchName}:${path}`)).stdout;

const eventsOf = async (feature: Feature, role: string) => {
  const runs = (await stack.store.runs.listByFeature(feature.id)).filter((run) => run.role === role);
  return (await Promise.all(runs.map((run) => stack.store.events.list(run.id)))).flat();
};

describe('a hostile agent', () => {
  it('never runs anything on the host (no canary file appears)', async () => {
    expect(await readdir(targets.canaryDir)).toEqual([]);
  });

  it('pushes only to the project’s configured remote, never to a rewritten one', async () => {
    expect((await git(targets.decoyRepo, 'for-each-ref')).stdout).toBe('');
    for (const name of ['gitExecution', 'remoteRewrite', 'filters'] as const) {
      const feature = settled.get(name)!;
      expect({ name, status: feature.status }).toEqual({ name, status: 'done' });
      const pushed = await git(stack.repoDir, 'rev-parse', '--verify', `refs/heads/${feature.branchName}`);
      expect(pushed.stdout.trim()).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('cannot write through a symlink into .git or out of the workspace', async () => {
    const feature = settled.get('symlinks')!;
    const denials = (await eventsOf(feature, 'tester'))
      .filter((event) => event.payload.kind === 'permission_denied')
      .map((event) => String(event.payload.reason));
    expect(denials.length).toBeGreaterThanOrEqual(2);
    expect(denials.join('\n')).toMatch(/evil\.spec\.js|\.git|outside the workspace|symlink/);
  });

  it("cannot reach a host service or another org's workspace", async () => {
    const feature = settled.get('hostAndForeign')!;
    expect({ status: feature.status, failure: feature.counters.lastFailure }).toMatchObject({
      status: 'done',
    });
    expect(await pushedFile(feature, 'findings/foreign.txt')).not.toContain(foreignSecret);
    expect(await pushedFile(feature, 'findings/foreign.txt')).toMatch(/No such file or directory/);
    expect(await pushedFile(feature, 'findings/host.txt')).not.toBe('connected');
    expect(hostConnections).toBe(0);
  });

  it("cannot read its runner's run token, so forged results and events are refused", async () => {
    const feature = settled.get('runTokenTheft')!;
    // What was recorded is the runners' own results and events, never the forgery.
    const runs = await stack.store.runs.listByFeature(feature.id);
    expect(runs.map((run) => run.role)).toEqual(expect.arrayContaining(['coder', 'reviewer', 'tester']));
    // Every agent run's tokens are the model's own count (the setup run has no model).
    for (const run of runs.filter((r) => r.status === 'succeeded' && r.role !== 'setup')) {
      expect({ role: run.role, summary: run.output?.summary }).not.toEqual({
        role: run.role,
        summary: 'forged',
      });
      expect({ role: run.role, tokensIn: run.tokensIn > 0 }).toEqual({ role: run.role, tokensIn: true });
    }
    const tester = runs.filter((run) => run.role === 'tester').at(-1)!;
    expect(tester).toMatchObject({ status: 'succeeded', exitReason: 'submitted' });
    expect(tester.costUsd).toBeGreaterThan(0);
    const events = (await Promise.all(runs.map((run) => stack.store.events.list(run.id)))).flat();
    expect(events.filter((event) => event.payload.text === 'forged')).toEqual([]);
    expect({ status: feature.status, failure: feature.counters.lastFailure }).toMatchObject({
      status: 'done',
    });
    const findings = JSON.parse(await pushedFile(feature, 'findings/token-theft.json')) as TokenTheftFindings;
    // It did look (its own tree's environments at least), and found nothing of the runner's.
    expect(findings.scanned.environ).toBeGreaterThan(0);
    expect(findings.tokens).toEqual([]);
    const runnerVars = /: OMAKASE_(RUN_TOKEN|RUN_ID|API_URL|M2M_[A-Z_]+|SECRETS_STDIN)=/;
    expect(findings.omakaseLines.filter((line) => runnerVars.test(line))).toEqual([]);
    // The forged tester result (costUsd 0) and event flood were refused as unauthenticated.
    expect(findings.forged.map((f) => f.endpoint).sort()).toEqual(['events', 'result']);
    expect(findings.forged.map((f) => [f.endpoint, f.status, f.withFoundToken])).toEqual(
      findings.forged.map((f) => [f.endpoint, 401, false]),
    );
  });
});
