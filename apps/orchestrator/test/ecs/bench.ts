/**
 * ECS driver benchmarks against the loopback fake (run by scripts/bench.ts):
 * - overhead: what the driver adds per run — RunTask round trip until the handle is known, and
 *   STOPPED → onExit detection — excluding the fake's simulated provisioning time;
 * - burst: 200 runs at once with RunTask throttled at 20/s: all started, none lost, time to last start.
 */
import type { ComputeExit } from '../../src/compute/types';
import { driverFor, specFor, startFake } from './support';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function benchEcsOverhead(runs = 200, startDelayMs = 500, pollIntervalMs = 25) {
  const fake = await startFake({ startDelayMs });
  const driver = driverFor(fake, { pollIntervalMs });
  const stoppedAt = new Map<string, number>();
  const detect: number[] = [];
  const exited = new Map<string, () => void>();
  fake.on('stopped', (t) => stoppedAt.set(t.taskArn, performance.now()));
  driver.onExit((e: ComputeExit) => {
    detect.push(performance.now() - stoppedAt.get(e.handle)!);
    exited.get(e.handle)?.();
  });
  const start: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const handle = await driver.start(specFor());
      start.push(performance.now() - t0);
      const done = new Promise<void>((r) => exited.set(handle, r));
      fake.exit(handle, 0); // the container ends; the watcher must notice
      await done;
    }
  } finally {
    await driver.close();
    await fake.stop();
  }
  const total = start.map((s, i) => s + detect[i]!);
  return {
    runs,
    startP50: pct(start, 0.5),
    startP95: pct(start, 0.95),
    detectP95: pct(detect, 0.95),
    totalP95: pct(total, 0.95),
    pollIntervalMs,
  };
}

export async function benchEcsBurst(runs = 200, perSecond = 20, burst = 100) {
  // ECS's RunTask bucket: `burst` at once, refilled at `perSecond`.
  const fake = await startFake({ runTaskRate: { perSecond, burst } });
  const driver = driverFor(fake, {
    runTaskRatePerSecond: perSecond,
    runTaskBurst: burst,
    pollIntervalMs: 60_000,
  });
  const t0 = performance.now();
  try {
    const specs = Array.from({ length: runs }, () => specFor());
    const handles = await Promise.all(specs.map((s) => driver.start(s)));
    const seconds = (performance.now() - t0) / 1000;
    const startedRuns = new Set([...fake.tasks.values()].map((t) => t.startedBy));
    const lost = specs.filter((s) => !startedRuns.has(s.runId)).length;
    return {
      runs,
      started: new Set(handles).size,
      lost,
      tasks: fake.tasks.size,
      throttled: fake.calls.throttled,
      seconds,
      idealSeconds: (runs - burst) / perSecond,
    };
  } finally {
    await driver.close();
    await fake.stop();
  }
}
