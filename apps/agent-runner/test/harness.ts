import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventBatchSchema,
  type RunnerEvent,
  type RunResult,
  type RunSpec,
  runResultSchema,
} from '@omakase/api-contract';
import { createDemoRepository, DEMO_COMMAND_ALLOWLIST, DEMO_TEST_COMMAND } from '@omakase/demo-repo';
import { AGENT_RUNNER_ENTRY } from '../src/index';

/** A loopback stand-in for the platform's run API: serves the spec, records events and the result. */
export async function startFakePlatform(
  spec: RunSpec,
  token: string,
  opts: { failFirstEventPosts?: number } = {},
) {
  const events: RunnerEvent[] = [];
  const authFailures: string[] = [];
  let failuresLeft = opts.failFirstEventPosts ?? 0;
  let resolveResult: (result: RunResult) => void = () => {};
  const result = new Promise<RunResult>((resolve) => {
    resolveResult = resolve;
  });
  const waiters: { test: (event: RunnerEvent) => boolean; resolve: (event: RunnerEvent) => void }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      authFailures.push(req.url ?? '');
      return send(401, { error: 'unauthorized' });
    }
    const base = `/api/v1/runs/${spec.run.id}`;
    if (req.method === 'GET' && req.url === `${base}/spec`) return send(200, spec);
    if (req.method === 'POST' && req.url === `${base}/events`) {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return send(503, { error: 'try again' });
      }
      for (const event of eventBatchSchema.parse(body).events) {
        if (events.some((seen) => seen.seq === event.seq)) continue; // a retried batch
        events.push(event);
        for (const waiter of waiters.filter((w) => w.test(event))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
      return send(202, { accepted: true });
    }
    if (req.method === 'POST' && req.url === `${base}/result`) {
      resolveResult(runResultSchema.parse(body));
      return send(200, { ok: true });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    result,
    authFailures,
    /** Resolves with the first event (already received or future) that matches. */
    waitForEvent: (test: (event: RunnerEvent) => boolean) =>
      new Promise<RunnerEvent>((resolve) => {
        const seen = events.find(test);
        if (seen) resolve(seen);
        else waiters.push({ test, resolve });
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunnerProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

export function spawnRunner(env: Record<string, string>): RunnerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', AGENT_RUNNER_ENTRY], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      // Runs unsandboxed as this user (agent-isolation.test.ts covers the isolated modes).
      OMAKASE_AGENT_ISOLATION: 'none',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, stderr: () => stderr };
}

let runCounter = 0;
export const newRunId = () =>
  `run_${Date.now().toString(36)}${(runCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export const TOKEN = 'omk_run_tok_3f9c2a7d1e8b4c6a9f0e';

/** A demo origin repository and an empty workspace dir; `cleanup` removes both. */
export async function demoProject() {
  const root = await mkdtemp(join(tmpdir(), 'omakase-runner-'));
  const origin = join(root, 'origin');
  await createDemoRepository(origin);
  return { root, origin, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function makeSpec(over: {
  role: RunSpec['run']['role'];
  origin: string;
  title?: string;
  attempt?: number;
  input?: RunSpec['run']['input'];
  branch?: string;
}): RunSpec {
  return {
    run: { id: newRunId(), role: over.role, attempt: over.attempt ?? 1, input: over.input ?? {} },
    feature: {
      key: 'DEMO-7',
      title: over.title ?? 'Add gift wrapping',
      description: 'Customers can add gift wrapping to an order.',
      acceptanceCriteria: ['Gift wrapping costs 3.50', 'Gift wrapping is optional'],
    },
    project: {
      repositoryUrl: over.origin,
      defaultBranch: 'main',
      commandAllowlist: [...DEMO_COMMAND_ALLOWLIST],
      testCommand: DEMO_TEST_COMMAND,
    },
    workspace: { branch: over.branch ?? 'omakase/demo-7-add-gift-wrapping' },
  };
}

/** Runs one agent process for `spec` to completion against the fake platform. */
export async function runRole(spec: RunSpec, workspace: string, modelUrl: string) {
  const platform = await startFakePlatform(spec, TOKEN);
  const runner = spawnRunner({
    OMAKASE_API_URL: platform.url,
    OMAKASE_RUN_TOKEN: TOKEN,
    OMAKASE_RUN_ID: spec.run.id,
    WORKSPACE_DIR: workspace,
    ANTHROPIC_BASE_URL: modelUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-placeholder-key',
  });
  const [result, exit] = await Promise.all([platform.result, runner.exit]);
  await platform.stop();
  return {
    result,
    exit,
    events: platform.events,
    authFailures: platform.authFailures,
    stderr: runner.stderr(),
  };
}
