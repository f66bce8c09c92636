/**
 * COMPUTE_SANDBOX=auto never runs real agents unsandboxed: without bubblewrap the orchestrator
 * refuses to start (exit 78, saying how to fix it) unless the operator set COMPUTE_SANDBOX=off.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isDemoModel, SandboxRefused, sandboxDecision } from '../src/compute/sandbox-policy';
import { selectDriver } from '../src/compute/select-driver';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('sandboxDecision', () => {
  const cases = [
    { setting: 'auto', bubblewrap: true, demo: false, run: 'sandboxed' },
    { setting: 'auto', bubblewrap: true, demo: true, run: 'sandboxed' },
    { setting: 'auto', bubblewrap: false, demo: false, run: 'refused' },
    { setting: 'auto', bubblewrap: false, demo: true, run: 'unsandboxed' },
    { setting: 'on', bubblewrap: false, demo: true, run: 'refused' },
    { setting: 'required', bubblewrap: false, demo: false, run: 'refused' },
    { setting: 'on', bubblewrap: true, demo: false, run: 'sandboxed' },
    { setting: 'off', bubblewrap: true, demo: false, run: 'unsandboxed' },
    { setting: 'off', bubblewrap: false, demo: false, run: 'unsandboxed' },
  ] as const;
  it.each(cases)('$setting, bubblewrap $bubblewrap, demo $demo → $run', ({ run, ...input }) => {
    expect(sandboxDecision(input).run).toBe(run);
  });

  it('says what is missing and both ways out when it refuses', () => {
    const refusal = sandboxDecision({ setting: 'auto', bubblewrap: false, demo: false });
    expect(refusal).toMatchObject({ run: 'refused' });
    const message = (refusal as { message: string }).message;
    expect(message).toContain('bubblewrap is not usable');
    expect(message).toContain('apt-get install bubblewrap');
    expect(message).toContain('COMPUTE_SANDBOX=off');
  });

  it('warns loudly in demo mode', () => {
    const demo = sandboxDecision({ setting: 'auto', bubblewrap: false, demo: true });
    expect(demo).toMatchObject({ run: 'unsandboxed', warning: expect.stringContaining('UNSANDBOXED') });
  });
});

describe('isDemoModel: no deployment key and the scripted model on loopback', () => {
  it.each([
    [{ baseUrl: 'http://127.0.0.1:4100' }, true],
    [{ baseUrl: 'http://localhost:4100' }, true],
    [{ baseUrl: 'http://[::1]:4100' }, true],
    [{ apiKey: 'sk-ant-real', baseUrl: 'http://127.0.0.1:4100' }, false], // a local gateway, real key
    [{ apiKey: 'sk-ant-real' }, false],
    [{}, false], // orgs' own saved keys against api.anthropic.com
    [{ baseUrl: 'https://gateway.example.com' }, false],
  ])('%o → %s', (model, demo) => {
    expect(isDemoModel(model)).toBe(demo);
  });
});

describe('selectDriver', () => {
  const logger = pino({ level: 'silent' });
  const base = { COMPUTE_DRIVER: 'local' as const, OMAKASE_DATA_DIR: '/tmp/omakase-none' };

  it('refuses local runs with a real key when the probe finds no bubblewrap', () => {
    const attempt = () =>
      selectDriver(
        { ...base, COMPUTE_SANDBOX: 'auto', ANTHROPIC_API_KEY: 'sk-ant-real' },
        logger,
        () => false,
      );
    expect(attempt).toThrow(SandboxRefused);
  });

  it('accepts COMPUTE_SANDBOX=off without probing', async () => {
    let probed = false;
    const driver = selectDriver(
      { ...base, COMPUTE_SANDBOX: 'off', ANTHROPIC_API_KEY: 'sk-ant-real' },
      logger,
      () => {
        probed = true;
        return false;
      },
    );
    expect(probed).toBe(false);
    await driver.close();
  });
});

/**
 * The real entry point on a host where bubblewrap does not work: bwrap is replaced by `false`
 * inside a mount namespace (when this machine has bubblewrap), so the orchestrator's own probe
 * fails exactly as on a host without it.
 */
function startWithoutBubblewrap(env: Record<string, string>) {
  const orchestrator = [process.execPath, '--import', import.meta.resolve('tsx'), MAIN];
  const hide = existsSync('/usr/bin/bwrap')
    ? ['/usr/bin/bwrap', '--dev-bind', '/', '/', '--ro-bind', '/bin/false', '/usr/bin/bwrap', '--']
    : [];
  const [command, ...args] = [...hide, ...orchestrator];
  const child = spawn(command!, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // Never reached: the refusal comes before any connection.
      DATABASE_URL: 'postgres://omakase@127.0.0.1:9/none',
      RUN_TOKEN_SECRET: 'sandbox-policy-test-secret-0123456789abcdef',
      HEALTH_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
}

describe('the orchestrator process without bubblewrap', () => {
  it('the probe really fails in that environment', () => {
    if (!existsSync('/usr/bin/bwrap')) return; // nothing to hide: the host has none
    const inside = spawnSync(
      '/usr/bin/bwrap',
      [
        '--dev-bind',
        '/',
        '/',
        '--ro-bind',
        '/bin/false',
        '/usr/bin/bwrap',
        '--',
        '/usr/bin/bwrap',
        '--ro-bind',
        '/',
        '/',
        '/bin/true',
      ],
      { stdio: 'ignore' },
    );
    expect(inside.status).not.toBe(0);
  });

  it('exits 78 with COMPUTE_SANDBOX=auto and a real model key, saying how to fix it', async () => {
    const { code, stderr } = await startWithoutBubblewrap({
      COMPUTE_SANDBOX: 'auto',
      ANTHROPIC_API_KEY: 'sk-ant-api03-real-looking-key',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('COMPUTE_SANDBOX=auto and bubblewrap is not usable on this host');
    expect(stderr).toContain('apt-get install bubblewrap');
    expect(stderr).toContain('set COMPUTE_SANDBOX=off to accept that risk explicitly');
    expect(stderr).not.toContain('sk-ant-api03-real-looking-key');
  });

  it('exits 78 with COMPUTE_SANDBOX=on, even in demo mode', async () => {
    const { code, stderr } = await startWithoutBubblewrap({
      COMPUTE_SANDBOX: 'on',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('COMPUTE_SANDBOX=on but bubblewrap is not usable');
  });
});
