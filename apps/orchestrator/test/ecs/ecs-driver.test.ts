import { afterEach, describe, expect, it } from 'vitest';
import type { EcsFargateDriver } from '../../src/compute/ecs';
import { LaunchRefusedError } from '../../src/compute/launch-refused';
import type { ComputeExit } from '../../src/compute/types';
import type { FakeEcs } from './fake-ecs';
import { whenStatus } from './fake-ecs';
import { driverFor, specFor, startFake } from './support';

let fake: FakeEcs;
let driver: EcsFargateDriver;
afterEach(async () => {
  await driver?.close();
  await fake?.stop();
});

function exits(d: EcsFargateDriver) {
  const seen: ComputeExit[] = [];
  const waiters: (() => void)[] = [];
  d.onExit((e) => {
    seen.push(e);
    for (const w of waiters.splice(0)) w();
  });
  const next = (handle: string) =>
    new Promise<ComputeExit>((resolve) => {
      const check = () => {
        const hit = seen.find((e) => e.handle === handle);
        hit ? resolve(hit) : waiters.push(check);
      };
      check();
    });
  return next;
}

describe('EcsFargateDriver against the loopback ECS fake', () => {
  it('starts one tagged task per run, Spot for non-urgent, secrets only by reference', async () => {
    fake = await startFake();
    driver = driverFor(fake);
    const spec = specFor({ urgent: false });
    const handle = await driver.start(spec);
    const task = fake.tasks.get(handle)!;
    expect(task.capacityProviderName).toBe('FARGATE_SPOT');
    expect(task.startedBy).toBe(spec.runId);
    expect(Object.fromEntries(task.tags.map((t) => [t.key, t.value]))).toMatchObject({
      'omakase:org': spec.orgId,
      'omakase:project': spec.projectId,
      'omakase:feature': spec.featureId,
      'omakase:run': spec.runId,
    });
    const env = fake.envOf(task);
    expect(env).toMatchObject({
      OMAKASE_RUN_ID: spec.runId,
      OMAKASE_ROLE: 'coder',
      OMAKASE_RUN_TOKEN: 'tok-123',
    });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();

    const urgent = await driver.start(specFor({ urgent: true }));
    expect(fake.tasks.get(urgent)!.capacityProviderName).toBe('FARGATE');
  });

  it("sizes a run's task for its project (cpu/memory task overrides), and leaves default runs alone", async () => {
    fake = await startFake();
    driver = driverFor(fake);
    const sized = fake.tasks.get(
      await driver.start({ ...specFor(), resources: { cpu: 4096, memoryMiB: 16384 } }),
    )!;
    expect(sized.overrides).toMatchObject({ cpu: '4096', memory: '16384' });
    const plain = fake.tasks.get(await driver.start(specFor()))!;
    expect(plain.overrides).not.toHaveProperty('cpu');
    expect(plain.overrides).not.toHaveProperty('memory');
  });

  it("runs each org's tasks on that org's task definition (per-org workspace access point)", async () => {
    fake = await startFake();
    driver = driverFor(fake, {
      taskDefinition: 'omakase-runner-{org}',
      warmTaskDefinition: 'omakase-warm-{org}',
    });
    const a = await driver.start(specFor({ orgId: 'org_a' as never }));
    const b = await driver.start(specFor({ orgId: 'org_b' as never }));
    expect(fake.tasks.get(a)!.taskDefinitionArn).toMatch(/task-definition\/omakase-runner-org_a$/);
    expect(fake.tasks.get(b)!.taskDefinitionArn).toMatch(/task-definition\/omakase-runner-org_b$/);

    const warmId = 'warm_01jabcdefghjkmnpqrstvwxyz0';
    const warm = await driver.startWarm({
      warmId,
      orgId: 'org_a' as never,
      env: { OMAKASE_API_URL: 'http://api' },
    });
    const task = fake.tasks.get(warm)!;
    expect(task.taskDefinitionArn).toMatch(/omakase-warm-org_a$/);
    expect(task.capacityProviderName).toBe('FARGATE');
    expect(fake.envOf(task)).toEqual({
      OMAKASE_API_URL: 'http://api',
      OMAKASE_WARM: '1',
      OMAKASE_WARM_ID: warmId,
    });
    expect(task.tags).toContainEqual({ key: 'omakase:org', value: 'org_a' });
  });

  it('refuses, without retrying, a run of an org that has no task definition of its own', async () => {
    fake = await startFake({ taskDefinitions: ['omakase-runner-org_a'] });
    driver = driverFor(fake);
    await driver.start(specFor({ orgId: 'org_a' as never }));
    const refused = driver.start(specFor({ orgId: 'org_b' as never }));
    await expect(refused).rejects.toBeInstanceOf(LaunchRefusedError);
    await expect(refused).rejects.toThrow(
      /no per-org runner for this organisation: task definition omakase-runner-org_b is not deployed/,
    );
    expect(fake.calls.RunTask).toBe(2); // one attempt each: a missing definition is not retried
    expect([...fake.tasks.values()].map((t) => t.taskDefinitionArn)).toEqual([
      expect.stringMatching(/omakase-runner-org_a$/),
    ]);
  });

  it('refuses a shared (org-less) runner task definition outright', async () => {
    fake = await startFake();
    expect(() => driverFor(fake, { taskDefinition: 'omakase-runner' })).toThrow(
      /must name per-org runner task definitions/,
    );
    expect(() => driverFor(fake, { warmTaskDefinition: 'omakase-warm' })).toThrow(
      /ECS_WARM_TASK_DEFINITION must name per-org/,
    );
  });

  it('refuses to put a long-lived secret into the overrides', async () => {
    fake = await startFake();
    driver = driverFor(fake);
    await expect(driver.start(specFor({ secrets: { GITHUB_TOKEN: 'ghp_x' } }))).rejects.toMatchObject({
      code: 'secret_not_allowed_in_overrides',
    });
    expect(fake.calls.RunTask).toBe(0);
  });

  it('maps container exit, StopTask and a Spot reclaim to exit reasons', async () => {
    fake = await startFake({ startDelayMs: 20 });
    driver = driverFor(fake);
    const next = exits(driver);
    const [ok, bad, stopped, spot] = await Promise.all([1, 2, 3, 4].map(() => driver.start(specFor())));
    await Promise.all([ok, bad, stopped, spot].map((h) => whenStatus(fake, h!, 'RUNNING')));
    expect(await driver.status(ok!)).toEqual({ state: 'running' });

    fake.exit(ok!, 0);
    fake.exit(bad!, 3);
    await driver.stop(stopped!);
    fake.interrupt(spot!);
    expect(await next(ok!)).toMatchObject({ reason: 'completed', exitCode: 0 });
    expect(await next(bad!)).toMatchObject({ reason: 'failed', exitCode: 3 });
    expect(await next(stopped!)).toMatchObject({ reason: 'stopped' });
    expect(await next(spot!)).toMatchObject({ reason: 'interrupted' });
    expect(fake.calls.StopTask).toBe(1);
    expect(await driver.status(spot!)).toMatchObject({ state: 'exited', reason: 'interrupted' });
  });

  it('reports a task that vanished from DescribeTasks as lost', async () => {
    fake = await startFake();
    driver = driverFor(fake);
    const next = exits(driver);
    const handle = await driver.start(specFor());
    fake.tasks.delete(handle);
    expect(await next(handle)).toMatchObject({ reason: 'lost', exitCode: null });
  });

  it('starts every run of a burst through RunTask throttling, none lost or doubled', async () => {
    fake = await startFake({ runTaskRate: { perSecond: 20, burst: 5 } });
    // Ask for more than the fake allows so the throttle path, not only the bucket, is exercised.
    driver = driverFor(fake, { runTaskRatePerSecond: 40 });
    const specs = Array.from({ length: 40 }, () => specFor());
    const handles = await Promise.all(specs.map((s) => driver.start(s)));
    expect(new Set(handles).size).toBe(40);
    expect(fake.tasks.size).toBe(40);
    const runIds = [...fake.tasks.values()].map((t) => t.startedBy).sort();
    expect(runIds).toEqual(specs.map((s) => s.runId).sort());
    expect(fake.calls.throttled).toBeGreaterThan(0);
    expect(driver.launcher.stats).toMatchObject({ started: 40, failed: 0 });
  });

  it('stops the tasks it still watches on close', async () => {
    fake = await startFake();
    driver = driverFor(fake);
    const handle = await driver.start(specFor());
    await driver.close();
    expect(fake.tasks.get(handle)!.lastStatus).toBe('STOPPED');
  });
});
