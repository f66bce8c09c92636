import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ModelServer, startModelServer } from '@omakase/model-server';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoProject, makeSpec, runRole, spawnRunner, startFakePlatform, TOKEN } from './harness';

const exec = promisify(execFile);
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

it('fails with no_verdict when the submission is malformed', async () => {
  const spec = makeSpec({
    role: 'architect',
    origin: project.origin,
    title: 'Add gift wrapping [script:bad-verdict]',
  });
  const run = await runRole(spec, join(project.root, 'bad-verdict'), model.url);
  expect(run.exit.code).toBe(1);
  expect(run.result).toMatchObject({ outcome: 'failed', exitReason: 'no_verdict', output: null });
  expect(run.events.some((event) => event.type === 'verdict')).toBe(false);
  expect(run.events.find((event) => event.type === 'error')?.payload.kind).toBe('no_verdict');
});

it('blocks writes outside the workspace and commands outside the allowlist', async () => {
  const workspace = join(project.root, 'guarded');
  const title = 'Add gift wrapping [script:escape] [script:forbidden-command]';
  const run = await runRole(makeSpec({ role: 'coder', origin: project.origin, title }), workspace, model.url);
  expect(existsSync(join(project.root, 'escaped-add-gift-wrapping.txt'))).toBe(false);
  expect(existsSync(join(project.root, 'pwned-add-gift-wrapping.txt'))).toBe(false);
  const denials = run.events.filter(
    (event) => event.type === 'error' && event.payload.kind === 'permission_denied',
  );
  expect(denials.map((event) => event.payload.tool)).toEqual(expect.arrayContaining(['Write', 'Bash']));
  // The rest of the session still does the work.
  expect(run.result).toMatchObject({ outcome: 'succeeded', exitReason: 'completed' });
  expect((await exec('git', ['status', '--porcelain'], { cwd: workspace })).stdout).toBe('');
});

it('stops within 2 s of SIGTERM and reports the run cancelled', async () => {
  const spec = makeSpec({ role: 'coder', origin: project.origin, title: 'Add gift wrapping [script:slow]' });
  const platform = await startFakePlatform(spec, TOKEN);
  const runner = spawnRunner({
    OMAKASE_API_URL: platform.url,
    OMAKASE_RUN_TOKEN: TOKEN,
    OMAKASE_RUN_ID: spec.run.id,
    WORKSPACE_DIR: join(project.root, 'slow'),
    ANTHROPIC_BASE_URL: model.url,
    ANTHROPIC_API_KEY: 'sk-ant-test-placeholder-key',
  });
  await platform.waitForEvent((event) => event.type === 'thought');
  const signalledAt = Date.now();
  runner.child.kill('SIGTERM');
  const exit = await runner.exit;
  const elapsed = Date.now() - signalledAt;
  const result = await platform.result;
  await platform.stop();
  expect(elapsed, runner.stderr()).toBeLessThan(2_000);
  expect(exit.code).toBe(1);
  expect(result).toMatchObject({ outcome: 'cancelled', exitReason: 'cancelled' });
});

it('exits 2 on a configuration error without contacting anyone', async () => {
  const runner = spawnRunner({
    OMAKASE_API_URL: 'not a url',
    OMAKASE_RUN_TOKEN: 'short',
    OMAKASE_RUN_ID: 'x',
    WORKSPACE_DIR: 'rel',
  });
  const exit = await runner.exit;
  expect(exit.code).toBe(2);
  for (const variable of ['OMAKASE_API_URL', 'OMAKASE_RUN_TOKEN', 'OMAKASE_RUN_ID', 'WORKSPACE_DIR'])
    expect(runner.stderr()).toContain(variable);
});

it("exits 2 in warm mode when the issuer refuses the runner's client credentials", async () => {
  const tokenRequests: string[] = [];
  const issuer = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    tokenRequests.push(body);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }));
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  try {
    const runner = spawnRunner({
      OMAKASE_WARM: '1',
      OMAKASE_WARM_ID: `warm_${'0'.repeat(26)}`,
      OMAKASE_API_URL: 'http://127.0.0.1:9',
      OMAKASE_TOKEN_URL: `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/oauth/token`,
      OMAKASE_M2M_CLIENT_ID: 'warm-client',
      OMAKASE_M2M_CLIENT_SECRET: 'wrong-secret',
    });
    expect((await runner.exit).code).toBe(2);
    expect(runner.stderr()).toContain("the issuer refused the runner's client credentials (401)");
    // Refused once, not retried; the secret never reaches the output.
    expect(tokenRequests).toHaveLength(1);
    expect(JSON.parse(tokenRequests[0]!)).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'warm-client',
    });
    expect(runner.stderr()).not.toContain('wrong-secret');
  } finally {
    issuer.close();
  }
});
