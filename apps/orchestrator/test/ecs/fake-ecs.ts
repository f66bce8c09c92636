/**
 * A loopback fake of the ECS JSON 1.1 API (RunTask, DescribeTasks, StopTask) for the real
 * `@aws-sdk/client-ecs` to talk to. Tasks go PROVISIONING → RUNNING after a simulated start
 * time, then run a `TaskRuntime` (e.g. the real agent runner as a local process) until it exits,
 * StopTask is called, or the test reclaims the Spot capacity (`interrupt`).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTask {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  startedBy?: string;
  group?: string;
  capacityProviderName: string;
  tags: { key: string; value: string }[];
  overrides: { containerOverrides?: { name: string; environment?: { name: string; value: string }[] }[] };
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; lastStatus: string; exitCode?: number }[];
}

/** What a running task does. `stop` is ECS's SIGTERM; resolve `exited` with the exit code. */
export type TaskRuntime = (
  env: Record<string, string>,
  task: FakeTask,
) => { exited: Promise<number>; stop(): void; kill?(): void };

export interface FakeEcsOptions {
  cluster: string;
  containerName: string;
  startDelayMs?: number;
  /** RunTask token bucket; beyond it the call fails with ThrottlingException. */
  runTaskRate?: { perSecond: number; burst: number };
  /** Simulates the task definition's Secrets Manager references being resolved at start. */
  injectedSecrets?: Record<string, string>;
  /** Secrets a given task definition family injects (e.g. a per-org warm runner M2M client). */
  injectedSecretsFor?: (taskDefinition: string) => Record<string, string>;
  runtime?: TaskRuntime;
  /**
   * The registered task definition families; RunTask on another one fails like ECS's
   * (ClientException). Unset: every family exists.
   */
  taskDefinitions?: readonly string[];
}

interface RunTaskBody {
  taskDefinition: string;
  startedBy?: string;
  group?: string;
  capacityProviderStrategy?: { capacityProvider: string }[];
  tags?: FakeTask['tags'];
  overrides?: FakeTask['overrides'];
}

const TARGET = 'AmazonEC2ContainerServiceV20141113.';
const now = () => Date.now() / 1000;

export class FakeEcs extends EventEmitter {
  readonly tasks = new Map<string, FakeTask>();
  readonly calls = { RunTask: 0, DescribeTasks: 0, StopTask: 0, throttled: 0 };
  private readonly stoppers = new Map<string, () => void>();
  private readonly killers = new Map<string, () => void>();
  private server!: Server;
  private tokens: number;
  private lastRefill = Date.now();
  url = '';

  constructor(private readonly o: FakeEcsOptions) {
    super();
    this.tokens = o.runTaskRate?.burst ?? Number.POSITIVE_INFINITY;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const op = String(req.headers['x-amz-target'] ?? '').replace(TARGET, '');
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': randomUUID(),
          });
          res.end(JSON.stringify(payload));
        };
        try {
          const input = JSON.parse(body || '{}');
          if (input.cluster && input.cluster !== this.o.cluster) {
            return reply(400, { __type: 'ClusterNotFoundException', message: 'Cluster not found.' });
          }
          if (op === 'RunTask') return this.runTask(input, reply);
          if (op === 'DescribeTasks') return reply(200, this.describe(input.tasks ?? []));
          if (op === 'StopTask') return reply(200, this.stopTask(input.task, input.reason));
          reply(400, { __type: 'InvalidAction', message: `unsupported ${op}` });
        } catch (error) {
          reply(500, { __type: 'ServerException', message: String(error) });
        }
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const stop of this.stoppers.values()) stop();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** AWS reclaims Spot capacity: SIGTERM to the task, then STOPPED with SpotInterruption. */
  interrupt(taskArn: string): void {
    const task = this.tasks.get(taskArn);
    if (!task || task.lastStatus === 'STOPPED') throw new Error(`no live task ${taskArn}`);
    task.stopCode = 'SpotInterruption';
    task.stoppedReason = 'Your Spot Task was interrupted.';
    this.halt(task);
  }

  /** The container dies abruptly (OOM kill, host failure): SIGKILL, no stop code of ECS's own. */
  crash(taskArn: string): void {
    const task = this.tasks.get(taskArn);
    if (task?.lastStatus !== 'RUNNING') throw new Error(`no running task ${taskArn}`);
    const kill = this.killers.get(taskArn);
    if (!kill) throw new Error('crash needs a runtime with kill()');
    kill();
  }

  /** Ends a task as if its container exited on its own with `exitCode` (no runtime configured). */
  exit(taskArn: string, exitCode: number): void {
    const task = this.tasks.get(taskArn);
    if (task)
      this.markStopped(task, exitCode, 'EssentialContainerExited', 'Essential container in task exited');
  }

  envOf(task: FakeTask): Record<string, string> {
    const env =
      task.overrides.containerOverrides?.find((c) => c.name === this.o.containerName)?.environment ?? [];
    return Object.fromEntries(env.map((e) => [e.name, e.value]));
  }

  private allow(): boolean {
    const rate = this.o.runTaskRate;
    if (!rate) return true;
    const t = Date.now();
    this.tokens = Math.min(rate.burst, this.tokens + ((t - this.lastRefill) / 1000) * rate.perSecond);
    this.lastRefill = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private runTask(input: RunTaskBody, reply: (s: number, p: unknown) => void) {
    this.calls.RunTask++;
    if (!this.allow()) {
      this.calls.throttled++;
      return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const family = input.taskDefinition.replace(/:\d+$/, '');
    if (this.o.taskDefinitions && !this.o.taskDefinitions.includes(family)) {
      return reply(400, { __type: 'ClientException', message: 'TaskDefinition not found.' });
    }
    const id = randomUUID().replaceAll('-', '');
    const task: FakeTask = {
      taskArn: `arn:aws:ecs:us-east-1:000000000000:task/${this.o.cluster}/${id}`,
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${this.o.cluster}`,
      taskDefinitionArn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${input.taskDefinition}`,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: input.startedBy,
      group: input.group,
      capacityProviderName: input.capacityProviderStrategy?.[0]?.capacityProvider ?? 'FARGATE',
      tags: input.tags ?? [],
      overrides: input.overrides ?? {},
      createdAt: now(),
      containers: [{ name: this.o.containerName, lastStatus: 'PENDING' }],
    };
    this.tasks.set(task.taskArn, task);
    this.emit('runTask', task);
    const timer = setTimeout(() => this.run(task), this.o.startDelayMs ?? 0);
    this.stoppers.set(task.taskArn, () => clearTimeout(timer));
    reply(200, { tasks: [task], failures: [] });
  }

  private run(task: FakeTask) {
    if (task.desiredStatus === 'STOPPED')
      return this.markStopped(task, undefined, task.stopCode, task.stoppedReason);
    task.lastStatus = 'RUNNING';
    task.startedAt = now();
    task.containers[0]!.lastStatus = 'RUNNING';
    this.emit('running', task);
    if (!this.o.runtime) return;
    const family = task.taskDefinitionArn.split('/').pop()!;
    const env = { ...this.envOf(task), ...this.o.injectedSecrets, ...this.o.injectedSecretsFor?.(family) };
    const container = this.o.runtime(env, task);
    this.stoppers.set(task.taskArn, container.stop);
    if (container.kill) this.killers.set(task.taskArn, container.kill);
    void container.exited.then((code) =>
      this.markStopped(
        task,
        code,
        task.stopCode ?? 'EssentialContainerExited',
        task.stoppedReason ?? 'Essential container in task exited',
      ),
    );
  }

  private halt(task: FakeTask) {
    task.desiredStatus = 'STOPPED';
    const stop = this.stoppers.get(task.taskArn);
    if (task.lastStatus === 'RUNNING' && this.o.runtime && stop) stop();
    else {
      stop?.();
      this.markStopped(
        task,
        task.lastStatus === 'RUNNING' ? 143 : undefined,
        task.stopCode,
        task.stoppedReason,
      );
    }
  }

  private stopTask(arn: string, reason?: string) {
    this.calls.StopTask++;
    const task = this.tasks.get(arn);
    if (!task) throw new Error(`unknown task ${arn}`);
    if (task.lastStatus !== 'STOPPED') {
      task.stopCode ??= 'UserInitiated';
      task.stoppedReason ??= reason ?? 'Task stopped by user';
      this.halt(task);
    }
    return { task };
  }

  private markStopped(task: FakeTask, exitCode: number | undefined, stopCode?: string, reason?: string) {
    if (task.lastStatus === 'STOPPED') return;
    this.stoppers.delete(task.taskArn);
    this.killers.delete(task.taskArn);
    Object.assign(task, {
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedAt: now(),
      stopCode,
      stoppedReason: reason,
    });
    task.containers[0] = { ...task.containers[0]!, lastStatus: 'STOPPED', exitCode };
    this.emit('stopped', task);
  }

  private describe(arns: string[]) {
    this.calls.DescribeTasks++;
    const tasks = arns.map((a) => this.tasks.get(a)).filter((t): t is FakeTask => !!t);
    const failures = arns.filter((a) => !this.tasks.has(a)).map((arn) => ({ arn, reason: 'MISSING' }));
    return { tasks, failures };
  }
}

/** Resolves with the first `event` whose task matches, or rejects after `timeoutMs`. */
export function nextTask(
  fake: FakeEcs,
  event: 'runTask' | 'running' | 'stopped',
  match: (t: FakeTask) => boolean = () => true,
  timeoutMs = 30_000,
) {
  return new Promise<FakeTask>((resolve, reject) => {
    const timer = setTimeout(() => {
      fake.off(event, on);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const on = (t: FakeTask) => {
      if (!match(t)) return;
      clearTimeout(timer);
      fake.off(event, on);
      resolve(t);
    };
    fake.on(event, on);
  });
}

/** Resolves once the task reaches `status` (now or later). */
export function whenStatus(fake: FakeEcs, arn: string, status: FakeTask['lastStatus']) {
  const task = fake.tasks.get(arn);
  if (task?.lastStatus === status) return Promise.resolve(task);
  return nextTask(fake, status === 'RUNNING' ? 'running' : 'stopped', (t) => t.taskArn === arn);
}
