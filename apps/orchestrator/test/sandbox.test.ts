/**
 * The agent sandbox with real processes: two runs of the LocalProcessDriver (bubblewrap +
 * setpriv) side by side. Each probe reports what it could see and do into its own workspace.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureId, OrgId, ProjectId, RunId } from '@omakase/domain';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import type { ComputeExit } from '../src/compute/types';

const PROBE = `
{
  echo "uid=$(id -u)"
  echo "env=$(env | cut -d= -f1 | sort | tr '\\n' ',')"
  if cat "$OTHER/notes.txt" >/dev/null 2>&1; then echo other=readable; else echo other=denied; fi
  if [ -n "$(ls -A "$OTHER" 2>/dev/null)" ]; then echo otherls=visible; else echo otherls=hidden; fi
  if cat "$DATA/secrets.json" >/dev/null 2>&1; then echo hostsecrets=readable; else echo hostsecrets=denied; fi
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
  const workspaceDir = join(data, 'workspaces', name);
  await mkdir(workspaceDir, { recursive: true });
  await writeFile(join(workspaceDir, 'notes.txt'), `private notes of ${name}`);
  await chmod(join(workspaceDir, 'notes.txt'), 0o644);
  const runId = `run_${name}` as RunId;
  const exited = new Promise<ComputeExit>((resolve) => exits.set(runId, resolve));
  process.env.OMAKASE_HOST_ONLY = 'host-environment-value';
  await driver.start({
    runId,
    orgId: 'org_x' as OrgId,
    projectId: 'proj_x' as ProjectId,
    featureId: 'feat_x' as FeatureId,
    role: 'coder',
    urgent: true,
    env: { OTHER: join(data, 'workspaces', other), DATA: data },
    secrets: { RUN_TOKEN: 'run-token-value' },
    workspaceDir,
  });
  expect((await exited).exitCode).toBe(0);
  const report = await readFile(join(workspaceDir, 'report.txt'), 'utf8');
  return Object.fromEntries(
    report
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

describe('agent sandbox', () => {
  it('runs as an unprivileged user with only its workspace writable and none of the host environment', async () => {
    const report = await runProbe('alpha', 'beta');
    expect(report.uid).toBe('65534');
    expect(report).toMatchObject({ own: 'writable', etc: 'readonly', usr: 'readonly' });
    const names = report.env!.split(',').filter(Boolean);
    expect(names).not.toContain('OMAKASE_HOST_ONLY');
    expect(names.filter((n) => !['PWD', 'SHLVL', '_'].includes(n)).sort()).toEqual(
      ['DATA', 'HOME', 'LANG', 'OTHER', 'PATH', 'RUN_TOKEN'].sort(),
    );
  });

  it("cannot read another run's workspace or the host's secrets", async () => {
    await runProbe('beta', 'gamma');
    const report = await runProbe('gamma', 'beta'); // beta's workspace exists and is world-readable
    expect(report).toMatchObject({ other: 'denied', otherls: 'hidden', hostsecrets: 'denied' });
  });
});
