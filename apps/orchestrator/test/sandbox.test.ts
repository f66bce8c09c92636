/**
 * The agent sandbox with real processes: two runs of the LocalProcessDriver (bubblewrap +
 * setpriv) side by side. Each probe reports what it could see and do into its own workspace.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureId, OrgId, ProjectId, RunId } from '@omakase/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import type { ComputeExit } from '../src/compute/types';

const PROBE = `
{
  echo "uid=$(id -u)"
  echo "env=$(env | cut -d= -f1 | sort | tr '\\n' ',')"
  echo "stdin=$(cat)"
  if cat "$OTHER/notes.txt" >/dev/null 2>&1; then echo other=readable; else echo other=denied; fi
  if [ -n "$(ls -A "$OTHER" 2>/dev/null)" ]; then echo otherls=visible; else echo otherls=hidden; fi
  if cat "$DATA/secrets.json" >/dev/null 2>&1; then echo hostsecrets=readable; else echo hostsecrets=denied; fi
  if cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -q '^VITEST'; then echo hostenv=visible; else echo hostenv=hidden; fi
  echo procs=$(ls -d /proc/[0-9]* | wc -l)
  if touch /etc/omakase-probe 2>/dev/null; then echo etc=writable; else echo etc=readonly; fi
  if touch /usr/omakase-probe 2>/dev/null; then echo usr=writable; else echo usr=readonly; fi
  if echo mine > own.txt; then echo own=writable; fi
} > report.txt 2>&1
`;

let root: string;
let data: string;
let driver: LocalProcessDriver;
const exits = new Map<string, (exit: ComputeExit) => void>();

beforeAll(async () => {
  // Outside /tmp (the sandbox gets a private /tmp anyway): only `hiddenDirs` may hide it.
  root = await mkdtemp('/var/tmp/omakase-sandbox-');
  data = join(root, 'data');
  await mkdir(join(data, 'workspaces'), { recursive: true });
  await writeFile(join(data, 'secrets.json'), '{"OMAKASE_MASTER_KEY":"host-master-key"}');
  await chmod(join(data, 'secrets.json'), 0o644); // readable by anyone: only the sandbox hides it
  driver = new LocalProcessDriver({
    runnerCommand: ['/bin/sh', '-c', PROBE],
    hiddenDirs: [data],
    sandbox: 'required',
    logger: pino({ level: 'silent' }),
  });
  driver.onExit((exit) => exits.get(exit.runId)?.(exit));
});
afterAll(async () => {
  await driver?.close();
  await rm(root, { recursive: true, force: true });
});

async function runProbe(name: string, other: string): Promise<Record<string, string>> {
  await startRun(driver, name, { OTHER: join(data, 'workspaces', other), DATA: data });
  const report = await readFile(join(data, 'workspaces', name, 'report.txt'), 'utf8');
  return Object.fromEntries(
    report
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

async function startRun(on: LocalProcessDriver, name: string, env: Record<string, string>): Promise<void> {
  const workspaceDir = join(data, 'workspaces', name);
  await mkdir(workspaceDir, { recursive: true });
  await writeFile(join(workspaceDir, 'notes.txt'), `private notes of ${name}`);
  await chmod(join(workspaceDir, 'notes.txt'), 0o644);
  const runId = `run_${name}` as RunId;
  const exited = new Promise<ComputeExit>((resolve) => exits.set(runId, resolve));
  process.env.OMAKASE_HOST_ONLY = 'host-environment-value';
  await on.start({
    runId,
    orgId: 'org_x' as OrgId,
    projectId: 'proj_x' as ProjectId,
    featureId: 'feat_x' as FeatureId,
    role: 'coder',
    urgent: true,
    env,
    secrets: { RUN_TOKEN: 'run-token-value' },
    workspaceDir,
  });
  expect((await exited).exitCode).toBe(0);
}

describe('agent sandbox', () => {
  it('runs as an unprivileged user with only its workspace writable, none of the host environment and its credentials only on stdin', async () => {
    const report = await runProbe('alpha', 'beta');
    expect(report.uid).toBe('65534');
    expect(report).toMatchObject({ own: 'writable', etc: 'readonly', usr: 'readonly' });
    const names = report.env!.split(',').filter(Boolean);
    expect(names).not.toContain('OMAKASE_HOST_ONLY');
    expect(JSON.parse(report.stdin!)).toEqual({ RUN_TOKEN: 'run-token-value' });
    expect(names.filter((n) => !['PWD', 'SHLVL', '_'].includes(n)).sort()).toEqual(
      [
        ...['DATA', 'HOME', 'LANG', 'OTHER', 'PATH'],
        // Credentials come on stdin; the runner must start its agent in a nested sandbox.
        ...['OMAKASE_SECRETS_STDIN', 'OMAKASE_AGENT_ISOLATION'],
        // The egress bridge's settings (no API URL here; the default model endpoint is remote).
        ...['OMAKASE_EGRESS_SOCKET', 'OMAKASE_EGRESS_FORWARD', 'OMAKASE_EGRESS_PROXY_PORT'],
        ...['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'],
      ].sort(),
    );
  });

  it("cannot read another run's workspace or the host's secrets", async () => {
    await runProbe('beta', 'gamma');
    const report = await runProbe('gamma', 'beta'); // beta's workspace exists and is world-readable
    expect(report).toMatchObject({ other: 'denied', otherls: 'hidden', hostsecrets: 'denied' });
    // Its own PID namespace: the host's processes (and their environments) are not even listed.
    expect(report).toMatchObject({ hostenv: 'hidden' });
    expect(Number(report.procs)).toBeLessThan(10);
  });
});

describe('agent sandbox network', () => {
  let api: Server;
  let denied: TcpServer;
  let deniedConnections = 0;
  const logs: { msg: string; destination?: string }[] = [];

  beforeAll(async () => {
    api = createServer((_req, res) => res.end('platform')).listen(0, '127.0.0.1');
    // A host service that is not on the run's allowlist, on every host address.
    denied = createTcpServer((socket) => {
      deniedConnections++;
      socket.end('host-service');
    }).listen(0, '0.0.0.0');
    await Promise.all([api, denied].map((s) => new Promise((resolve) => s.once('listening', resolve))));
  });
  afterAll(async () => {
    api?.close();
    denied?.close();
  });

  it('reaches the platform API through its egress proxy and nothing else on the host', async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const probe = fileURLToPath(new URL('./fixtures/net-probe.ts', import.meta.url));
    const netDriver = new LocalProcessDriver({
      runnerCommand: [process.execPath, '--import', import.meta.resolve('tsx'), probe],
      hiddenDirs: [data],
      sandbox: 'required',
      logger,
    });
    netDriver.onExit((exit) => exits.get(exit.runId)?.(exit));
    const hostAddress = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    expect(hostAddress, 'the host needs a non-loopback IPv4 address for this test').toBeDefined();
    const apiPort = (api.address() as { port: number }).port;
    const deniedPort = (denied.address() as { port: number }).port;
    try {
      await startRun(netDriver, 'net', {
        OMAKASE_API_URL: `http://127.0.0.1:${apiPort}`,
        DENIED_PORT: String(deniedPort),
        HOST_ADDRESS: hostAddress!,
      });
    } finally {
      await netDriver.close();
    }
    const report = JSON.parse(await readFile(join(data, 'workspaces', 'net', 'report.txt'), 'utf8'));
    expect(report).toMatchObject({
      api: '200:platform',
      deniedLoopback: 'ECONNREFUSED', // the sandbox's own loopback: the host's service is not there
      deniedHostAddress: 'ENETUNREACH', // no route out of the network namespace
      proxyDenied: 'HTTP/1.1 403 Forbidden',
      proxyAllowed: 'HTTP/1.1 200 Connection Established',
    });
    expect(deniedConnections).toBe(0);
    expect(logs.filter((l) => l.msg === 'egress denied').map((l) => l.destination)).toEqual([
      `127.0.0.1:${deniedPort}`,
    ]);
    expect(logs.find((l) => l.msg === 'runner exited')).toMatchObject({ egressDenied: 1 });
  });
});
