/**
 * The spawn wrapper that starts Claude Code (agent-isolation.ts), with real processes: a probe
 * "runner" holding a secret in its environment and an open file starts an "agent" through it,
 * and the agent searches every /proc environ, cmdline and fd it can see. Sandbox mode runs the
 * probe as the local driver runs a runner (nobody, inside bubblewrap); user mode as root with
 * setpriv as the helper, like the cloud image's runner with its setuid helper.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedArgv, isolatedSpawner, verifyIsolation } from '../src/agent-isolation';
import { demoProject, makeSpec, spawnRunner, startFakePlatform, TOKEN } from './harness';

const exec = promisify(execFile);
const PROBE = fileURLToPath(new URL('./fixtures/isolation-probe.ts', import.meta.url));
const NOBODY = 65534;
const AGENT_UID = 65533;

interface ProbeReport {
  verified: string;
  code: number | null;
  agent: { hits: string[]; runnerEnviron: string; uid: number; pids: number } | null;
}

let root: string;
let workspace: string;
const secret = `omk-secret-${randomBytes(16).toString('hex')}`;

beforeAll(async () => {
  root = await mkdtemp('/var/tmp/omakase-isolation-');
  workspace = join(root, 'ws');
  await mkdir(workspace);
  await chown(root, NOBODY, NOBODY);
  await chown(workspace, NOBODY, NOBODY);
  await chmod(root, 0o755);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The probe as the local driver starts a runner: nobody, in bubblewrap, own PID namespace. */
const inOuterSandbox = (extra: string[] = []) => [
  '/usr/bin/setpriv',
  `--reuid=${NOBODY}`,
  `--regid=${NOBODY}`,
  '--clear-groups',
  '/usr/bin/bwrap',
  ...extra,
  ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
  ...['--bind', root, root, '--unshare-pid', '--unshare-net', '--die-with-parent', '--new-session', '--'],
];

async function probe(wrapper: string[], args: string[]): Promise<ProbeReport> {
  const [command, ...rest] = [...wrapper, process.execPath, '--import', 'tsx', PROBE, ...args] as [
    string,
    ...string[],
  ];
  const { stdout } = await exec(command, rest, {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, PROBE_SECRET: secret },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('sandbox mode (nested bubblewrap)', () => {
  it('without it, the agent finds the secret in the runner’s environ and open fd (the attack works)', async () => {
    const report = await probe(inOuterSandbox(), ['none', workspace]);
    expect(report.agent?.hits.some((hit) => hit.endsWith('/environ'))).toBe(true);
    expect(report.agent?.hits.some((hit) => /\/fd\/\d+$/.test(hit))).toBe(true);
  });

  it('hides every process of the runner: no environ, cmdline or fd reveals the secret', async () => {
    const report = await probe(inOuterSandbox(), ['sandbox', workspace]);
    expect(report.verified).toBe('ok');
    expect(report.code).toBe(0);
    expect(report.agent).toMatchObject({ hits: [], uid: NOBODY });
    expect(report.agent!.pids).toBeLessThanOrEqual(3); // its own init and itself
  });

  it('fails closed where a nested sandbox cannot be created', async () => {
    const report = await probe(inOuterSandbox(['--unshare-user', '--disable-userns']), [
      'sandbox',
      workspace,
    ]);
    expect(report.verified).toMatch(/^agent isolation \(sandbox\) could not be established/);
  });

  it('refuses to report success when the bubblewrap binary is missing', async () => {
    await expect(
      verifyIsolation({ mode: 'sandbox', workspace, bwrap: '/nonexistent/bwrap' }),
    ).rejects.toThrow(/agent isolation \(sandbox\) could not be established/);
  });
});

describe('user mode (separate uid)', () => {
  const user = { helper: '/usr/bin/setpriv', uid: AGENT_UID, gid: AGENT_UID, home: '/tmp/probe-agent' };

  it('runs the agent as its own uid: the runner’s environ and fds are closed to it', async () => {
    const report = await probe([], ['user', workspace, String(AGENT_UID), user.helper]);
    expect(report.verified).toBe('ok');
    expect(report.agent).toMatchObject({ hits: [], runnerEnviron: 'closed', uid: AGENT_UID });
  });

  it('fails closed when the helper does not switch the uid', async () => {
    const fake = join(root, 'fake-helper');
    // Ignores its options and runs the command as the caller: the check must notice.
    await writeFile(fake, '#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done; shift; exec "$@"\n', {
      mode: 0o755,
    });
    await expect(
      verifyIsolation({ mode: 'user', workspace, user: { ...user, helper: fake } }),
    ).rejects.toThrow(
      `agent isolation (user) could not be established: the agent would run as uid ${process.getuid!()}`,
    );
  });

  it('still stops the agent although the runner may not signal its uid', async () => {
    const abort = new AbortController();
    const child = isolatedSpawner({ mode: 'user', workspace, user }, () => {})({
      command: '/bin/sleep',
      args: ['60'],
      cwd: workspace,
      env: { PATH: '/usr/bin:/bin' },
      signal: abort.signal,
    });
    const exited = new Promise<unknown>((resolve) => child.once('exit', (code, sig) => resolve(sig ?? code)));
    await expect
      .poll(async () =>
        (await exec('ps', ['-o', 'user=', '-p', String((child as { pid?: number }).pid)])).stdout.trim(),
      )
      .not.toBe('root');
    expect(child.kill('SIGTERM')).toBe(true);
    expect(await exited).toBe('SIGTERM');
  });

  it('prefixes the helper with an unprivileged identity and no new privileges', () => {
    expect(isolatedArgv({ mode: 'user', workspace, user }, ['claude', '--x'], workspace)).toEqual([
      '/usr/bin/setpriv',
      `--reuid=${AGENT_UID}`,
      `--regid=${AGENT_UID}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--no-new-privs',
      '--pdeathsig=KILL',
      '--',
      '/bin/sh',
      '-c',
      expect.stringContaining('exec "$@"'),
      'agent',
      'claude',
      '--x',
    ]);
  });
});

it('a runner whose isolation fails reports the run failed with the reason and never starts the agent', async () => {
  const project = await demoProject();
  try {
    const spec = makeSpec({ role: 'coder', origin: project.origin });
    const platform = await startFakePlatform(spec, TOKEN);
    const runner = spawnRunner({
      OMAKASE_API_URL: platform.url,
      OMAKASE_RUN_TOKEN: TOKEN,
      OMAKASE_RUN_ID: spec.run.id,
      WORKSPACE_DIR: join(project.root, 'ws'),
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', // nothing listens: no model call may happen
      ANTHROPIC_API_KEY: 'sk-ant-test-placeholder-key',
      OMAKASE_AGENT_ISOLATION: 'user',
      OMAKASE_AGENT_HELPER: '/nonexistent/agent-setpriv',
    });
    const [result, exit] = await Promise.all([platform.result, runner.exit]);
    await platform.stop();
    expect(exit.code).toBe(1);
    expect(result).toMatchObject({ outcome: 'failed', exitReason: 'agent_error' });
    expect(result.message).toMatch(/^agent isolation \(user\) could not be established/);
    expect(platform.events.map((event) => event.payload.kind)).toContain('isolation_error');
  } finally {
    await project.cleanup();
  }
});
