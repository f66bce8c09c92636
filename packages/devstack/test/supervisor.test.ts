import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ServiceSpec, Supervisor } from '../src/supervisor';

const node = (name: string, script: string): ServiceSpec => ({
  name,
  command: process.execPath,
  args: ['-e', script],
  cwd: process.cwd(),
  env: { PATH: process.env.PATH ?? '' },
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Resolves once the child printed `line` (readiness without sleeping). */
function printed(lines: string[], wanted: string): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (lines.includes(wanted)) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
}

/** Resolves once `check` holds (a signal is delivered asynchronously). */
function waitUntil(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
}

describe('Supervisor', () => {
  it('stops every child, killing one that ignores SIGTERM', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ write: (l) => lines.push(l), killAfterMs: 300, color: false });
    const polite = supervisor.start(node('polite', "console.log('up'); setInterval(() => {}, 1000)"));
    const stubborn = supervisor.start(
      node('stubborn', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"),
    );
    // Wait until both are running (the stubborn one has installed its SIGTERM handler).
    await Promise.all([printed(lines, 'polite       │ up'), printed(lines, 'stubborn     │ up')]);
    await supervisor.stop();
    expect(alive(polite.pid as number)).toBe(false);
    expect(alive(stubborn.pid as number)).toBe(false);
    expect(lines).toContain('stubborn     │ did not stop within 300 ms; killing');
    expect(lines).toContain('polite       │ up');
  });

  it('reports the first child that crashes, with its name and exit code', async () => {
    const supervisor = new Supervisor({ write: () => {}, color: false });
    supervisor.start(node('steady', 'setInterval(() => {}, 1000)'));
    supervisor.start(node('crasher', 'process.exit(3)'));
    const exit = await supervisor.unexpectedExit;
    expect(exit).toEqual({ name: 'crasher', code: 3, signal: null });
    await supervisor.stop();
  });

  it('reports a command that cannot be spawned', async () => {
    const supervisor = new Supervisor({ write: () => {}, color: false });
    supervisor.start({ ...node('missing', ''), command: '/nonexistent/binary' });
    expect((await supervisor.unexpectedExit).name).toBe('missing');
  });

  it('restarts a crashed child with backoff and gives up after too many crashes in the window', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({
      write: (l) => lines.push(l),
      color: false,
      restart: { maxCrashes: 3, windowMs: 60_000, backoffMs: 20, maxBackoffMs: 30 },
    });
    supervisor.start(node('crasher', "console.log('started'); process.exit(4)"));
    const exit = await supervisor.unexpectedExit;
    expect(exit).toEqual({ name: 'crasher', code: 4, signal: null, crashes: 3 });
    expect(lines.filter((l) => l.endsWith('started'))).toHaveLength(3);
    expect(lines).toContain('crasher      │ exited (code 4); restarting in 20 ms (crash 1 of 3)');
    expect(lines).toContain('crasher      │ exited (code 4); restarting in 30 ms (crash 2 of 3)');
    expect(lines).toContain('crasher      │ exited (code 4) 3 times within 60 s; giving up');
    await supervisor.stop();
  });

  it('kills what a crashed child spawned before restarting it', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({
      write: (l) => lines.push(l),
      color: false,
      restart: { maxCrashes: 2, windowMs: 60_000, backoffMs: 10, maxBackoffMs: 10 },
    });
    // The leader spawns a long-lived process in its group, then dies, leaving it orphaned.
    const script = `const { spawn } = require('node:child_process');
      const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('orphan ' + orphan.pid); setTimeout(() => process.exit(5), 50);`;
    supervisor.start(node('parent', script));
    const exit = await supervisor.unexpectedExit;
    expect(exit.crashes).toBe(2);
    const orphans = lines.filter((l) => l.includes('orphan ')).map((l) => Number(l.split('orphan ')[1]));
    expect(orphans).toHaveLength(2);
    // Gone (or a zombie nobody reaps on this machine): not running any more.
    const running = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (const pid of orphans) await waitUntil(() => !running(pid));
    await supervisor.stop();
  });

  it('brings a child that crashed once back up without giving up on it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omakase-supervisor-'));
    const marker = join(dir, 'crashed-once');
    const lines: string[] = [];
    const supervisor = new Supervisor({
      write: (l) => lines.push(l),
      color: false,
      restart: { maxCrashes: 3, windowMs: 60_000, backoffMs: 10, maxBackoffMs: 10 },
    });
    const script = `const fs = require('node:fs');
      if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); process.kill(process.pid, 'SIGKILL'); }
      console.log('up'); setInterval(() => {}, 1000);`;
    supervisor.start(node('flaky', script));
    await printed(lines, 'flaky        │ up');
    expect(lines).toContain('flaky        │ exited (SIGKILL); restarting in 10 ms (crash 1 of 3)');
    let gaveUp = false;
    void supervisor.unexpectedExit.then(() => {
      gaveUp = true;
    });
    await supervisor.stop();
    expect(gaveUp).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});
