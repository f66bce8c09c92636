/**
 * Crash safety with real processes: the orchestrator runs as a service process (src/main.ts)
 * against the real web API, scripted model server, SDK runners and Postgres.
 * (a) SIGKILL the orchestrator while an agent runs, restart it: the pipeline completes, the lost
 *     stage is retried once, every result is recorded and applied exactly once.
 * (b) SIGKILL an agent runner mid-run: its stage is retried (attempt 2) and the pipeline completes.
 * (c) The orchestrator under `npm start`'s supervisor (its real restart policy): SIGKILL it mid-run
 *     and nobody restarts it by hand — the supervisor does, and the pipeline recovers the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Not exported by @omakase/devstack (only the issuer and the web build are); the test imports the
// module itself, as stack.ts does the web app's test support.
import { NPM_START_RESTARTS, Supervisor } from '@omakase/devstack/supervisor';
import type { AgentRun, Feature } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type LogLine,
  type OrchestratorProcess,
  orchestratorCommand,
  spawnOrchestrator,
} from './orchestrator-process';
import { type Stack, startStack, waitFor, waitUntilSettled } from './stack';
import { expectCompletedOnce } from './support-runs';

const OPTS = { orgMaxConcurrentAgents: 10 };
let stack: Stack;
const processes: OrchestratorProcess[] = [];
let supervisor: Supervisor | undefined;

beforeAll(async () => {
  stack = await startStack();
  await stack.store.projects.update(stack.project.id, { settings: { maxConcurrentAgents: 2 } });
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await supervisor?.stop();
  await stack?.close();
});

const runningRun = (feature: Feature, role: AgentRun['role']) => async () =>
  (await stack.store.runs.listByFeature(feature.id)).find((r) => r.role === role && r.status === 'running');

/** Descendants of `pid` (the sandbox wrapper) whose command line is the agent runner. */
function runnerProcesses(pid: number): number[] {
  const children = (p: number): number[] =>
    readdirSync(`/proc/${p}/task`).flatMap((task) =>
      readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children(p)) {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('agent-runner/src/main.ts'))
        found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

it('survives a SIGKILLed orchestrator and a SIGKILLed runner: every stage completes exactly once', async () => {
  const { store, storage, project } = stack;
  const first = await store.features.create(project.id, { title: 'Add a wishlist' });
  await startFeature(store, first.id, OPTS);
  const a = spawnOrchestrator(stack, 'crash-a');
  processes.push(a);

  // (a) Kill the orchestrator while the coder runs; its sandboxed runner dies with it.
  const lost = await waitFor(storage, runningRun(first, 'coder'), 'the coder running');
  await a.kill('SIGKILL');
  const b = spawnOrchestrator(stack, 'crash-b');
  processes.push(b);

  // (b) Meanwhile a second feature; kill its architect's runner process under the new orchestrator.
  const second = await store.features.create(project.id, { title: 'Add gift cards' });
  await startFeature(store, second.id, OPTS);
  const victim = await waitFor(storage, runningRun(second, 'architect'), 'the architect running');
  const started = await b.nextLog((l) => l.msg === 'agent started' && l.runId === victim.id);
  const wrapperPid = Number(String(started.handle).split(':')[2]);
  const runners = await waitFor(
    storage,
    async () => {
      const found = runnerProcesses(wrapperPid);
      return found.length > 0 ? found : null;
    },
    'the runner process',
  );
  for (const pid of runners) process.kill(pid, 'SIGKILL');

  const [firstDone, secondDone] = await Promise.all(
    [first, second].map((f) => waitUntilSettled(storage, store, f)),
  );
  expect(firstDone!.status).toBe('done');
  expect(secondDone!.status).toBe('done');

  // (a) The coder that was running when its orchestrator died is failed as lost, retried as attempt 2.
  const firstRuns = await expectCompletedOnce(stack.databaseUrl, store, first.id);
  expect(firstRuns.find((r) => r.id === lost.id)).toMatchObject({
    status: 'failed',
    exitReason: 'orchestrator_lost',
  });
  const afterLost = firstRuns[firstRuns.findIndex((r) => r.id === lost.id) + 1]!;
  expect(afterLost).toMatchObject({ role: 'coder', attempt: 2, status: 'succeeded' });
  // The restarted orchestrator launched everything after the crash; nothing was launched twice.
  const launched = [...a.launches(), ...b.launches()];
  expect(new Set(launched).size).toBe(launched.length);
  expect(b.launches()).toContain(afterLost.id);

  // (b) The killed runner's stage failed with its exit and was retried.
  const secondRuns = await expectCompletedOnce(stack.databaseUrl, store, second.id);
  const killed = secondRuns.find((r) => r.id === victim.id)!;
  expect(killed.status).toBe('failed');
  expect(killed.exitReason).toMatch(/^runner_exited_/);
  expect(secondRuns[2]).toMatchObject({ role: 'architect', attempt: 2, status: 'succeeded' });
});

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SUPERVISED_ID = 'crash-supervised';

/** The live orchestrator processes with `id` among this test process's children. */
function orchestratorPids(id: string): number[] {
  return readdirSync(`/proc/${process.pid}/task`)
    .flatMap((task) =>
      readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number),
    )
    .filter((pid) => {
      const state = processState(pid);
      if (!state || state.state === 'Z') return false;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        return cmdline.includes('orchestrator/src/main.ts') && environ.includes(`ORCHESTRATOR_ID=${id}`);
      } catch {
        return false; // exited meanwhile
      }
    });
}

/** State and start time (clock ticks since boot) of `pid`, or null when there is no such process. */
function processState(pid: number): { state: string; startTime: string } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The fields after the command name (which is in parentheses and may contain anything).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, startTime: fields[19]! };
}

/** A supervisor like `npm start`'s, recording what it prints; the orchestrator's JSON log is parsed. */
function recordingSupervisor() {
  const lines: string[] = [];
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  const prefix = 'orchestrator │ ';
  const sup = new Supervisor({
    color: false,
    restart: NPM_START_RESTARTS,
    write: (line) => {
      lines.push(line);
      const rest = line.startsWith(prefix) ? line.slice(prefix.length) : '';
      if (rest.startsWith('{')) logs.push(JSON.parse(rest) as LogLine);
      for (const waiter of waiters) waiter();
    },
  });
  /** Resolves with the first output line (raw, or parsed log) `find` picks; already printed or to come. */
  const next = <T>(find: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> => {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no ${what} in ${timeoutMs} ms; output:\n${lines.slice(-40).join('\n')}`));
      }, timeoutMs);
      const waiter = () => {
        const value = find();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(value);
      };
      waiters.add(waiter);
    });
  };
  return { supervisor: sup, lines, logs, next };
}

it('restarts a SIGKILLed orchestrator under the supervisor: the lost stage is retried once, every stage completes once', async () => {
  const { store, storage, project } = stack;
  // The supervised orchestrator is the only one: the first test's are stopped (they are idle).
  for (const p of processes) await p.kill('SIGTERM');
  expect(orchestratorPids(SUPERVISED_ID)).toEqual([]);

  const out = recordingSupervisor();
  supervisor = out.supervisor;
  // The service as `npm start` defines it (node --import tsx main.ts, repository root as cwd),
  // with the environment spawnOrchestrator gives it.
  const first = supervisor.start({
    name: 'orchestrator',
    cwd: REPO_ROOT,
    ...orchestratorCommand(stack, SUPERVISED_ID),
  });
  const firstPid = first.pid!;

  const feature = await store.features.create(project.id, { title: 'Add a loyalty programme' });
  await startFeature(store, feature.id, OPTS);
  const lost = await waitFor(storage, runningRun(feature, 'coder'), 'the coder running');
  const started = await out.next(
    () => out.logs.find((l) => l.msg === 'agent started' && l.runId === lost.id),
    'agent started log line',
  );
  // The orchestrator running the coder is the supervisor's child, the only one with this id.
  expect(started.pid).toBe(firstPid);
  expect(orchestratorPids(SUPERVISED_ID)).toEqual([firstPid]);
  const wrapperPid = Number(String(started.handle).split(':')[2]);
  const wrapper = processState(wrapperPid);
  expect(wrapper).not.toBeNull();

  process.kill(firstPid, 'SIGKILL');

  // Nobody restarts it but the supervisor, after the first step of its backoff.
  await out.next(
    () => out.lines.find((l) => l === 'orchestrator │ exited (SIGKILL); restarting in 500 ms (crash 1 of 5)'),
    'restart line',
  );
  const restarted = await out.next(
    () => out.logs.find((l) => l.msg === 'orchestrator started' && l.pid !== firstPid),
    'log line of a restarted orchestrator',
  );
  const secondPid = Number(restarted.pid);
  expect(secondPid).not.toBe(firstPid);
  expect(orchestratorPids(SUPERVISED_ID)).toEqual([secondPid]);

  const done = await waitUntilSettled(storage, store, feature);
  expect(done!.status).toBe('done');
  // The killed orchestrator's sandboxed runner died with it (it could not report a second result).
  const after = processState(wrapperPid);
  expect(after === null || after.state === 'Z' || after.startTime !== wrapper!.startTime).toBe(true);

  // The coder that was running when its orchestrator died is failed as lost, retried as attempt 2.
  const runs = await expectCompletedOnce(stack.databaseUrl, store, feature.id);
  expect(runs.find((r) => r.id === lost.id)).toMatchObject({
    status: 'failed',
    exitReason: 'orchestrator_lost',
  });
  const afterLost = runs[runs.findIndex((r) => r.id === lost.id) + 1]!;
  expect(afterLost).toMatchObject({ role: 'coder', attempt: 2, status: 'succeeded' });
  // Nothing was launched twice; the restarted orchestrator launched the retry.
  const launches = out.logs.filter((l) => l.msg === 'agent started');
  const launched = launches.map((l) => String(l.runId));
  expect(new Set(launched).size).toBe(launched.length);
  expect(launches.find((l) => l.runId === afterLost.id)?.pid).toBe(secondPid);

  // One crash, one restart; the supervisor never gave up (that would stop `npm start`).
  expect(out.lines.filter((l) => / exited \(/.test(l))).toHaveLength(1);
  const gaveUp = await Promise.race([supervisor.unexpectedExit, Promise.resolve('still supervising')]);
  expect(gaveUp).toBe('still supervising');

  // A clean stop: SIGTERM reaches the orchestrator, which shuts down within the grace period.
  await supervisor.stop();
  expect(out.logs).toContainEqual(
    expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM', pid: secondPid }),
  );
  expect(out.lines.filter((l) => l.includes('did not stop within'))).toEqual([]);
  expect(orchestratorPids(SUPERVISED_ID)).toEqual([]);
});
