/**
 * One Fargate task per agent run, always on the run's own org's task definition (`{org}` in the
 * family; a shared definition is refused at construction, an org without one is refused per run —
 * fail closed, docs/deploy.md "Onboarding an org"). The role, run id and API URL travel as
 * container-override environment. No model key is passed or injected: the runner fetches its org's
 * key from the API with its run token. The run token is the one credential in the overrides — see
 * docs/deploy.md ("Run token") for why: it is scoped to one run, expires, and is useless once the run ends.
 */
import {
  DescribeTasksCommand,
  type ECSClient,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import type { RunId } from '@omakase/domain';
import type { Logger } from 'pino';
import { isLaunchRefused, LaunchRefusedError } from '../launch-refused';
import type { ComputeDriver, ComputeExit, ComputeSpec, ComputeStatus, RunHandle, WarmSpec } from '../types';
import { mapStoppedTask } from './exit-mapping';
import { RunTaskLauncher } from './run-task-launcher';
import { TaskWatcher } from './task-watcher';

export interface EcsFargateDriverOptions {
  client: ECSClient;
  cluster: string;
  /**
   * Family of the runner task definitions, with `{org}` (required) replaced by the run's org id:
   * per-org task definitions mount only that org's workspace access point (docs/deploy.md).
   */
  taskDefinition: string;
  containerName: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: boolean;
  /**
   * `spec.secrets` keys that never go into overrides and are dropped here: the model key (the
   * runner fetches it from the API) and anything a task definition injects from Secrets Manager.
   */
  taskDefinitionSecrets?: string[];
  /** `spec.secrets` keys allowed in overrides because they are short-lived and run-scoped. */
  ephemeralSecrets?: string[];
  /** Non-urgent runs use FARGATE_SPOT; set false to use on-demand for everything. */
  spotForNonUrgent?: boolean;
  runTaskRatePerSecond?: number;
  /** RunTask calls allowed at once before the steady rate applies (ECS's bucket: 100). */
  runTaskBurst?: number;
  pollIntervalMs?: number;
  /** Stop our tasks on close (a new orchestrator marks their runs lost anyway). */
  stopTasksOnClose?: boolean;
  /**
   * Task definition of an org's warm pool tasks; `{org}` is replaced by the org id. Per org,
   * because it injects that org's M2M client credentials from Secrets Manager. Unset: no pool.
   */
  warmTaskDefinition?: string;
  logger: Logger;
}

const DEFAULT_EPHEMERAL = ['OMAKASE_RUN_TOKEN'];
/** Fetched by the runner with its run token (OMAKASE_MODEL_KEY_SOURCE=api), never sent. */
const FETCHED_BY_RUNNER = ['ANTHROPIC_API_KEY'];

/** RunTask errors meaning the family does not exist, or we may not run it (not in our IAM policy). */
const isMissingDefinition = (error: unknown) => {
  const { name = '', message = '' } = (error ?? {}) as { name?: string; message?: string };
  return (
    name === 'AccessDeniedException' ||
    (/^(ClientException|InvalidParameterException)$/.test(name) &&
      /task ?definition/i.test(message) &&
      /not found|unable to|does not exist|inactive/i.test(message))
  );
};

export class EcsFargateDriver implements ComputeDriver {
  readonly name = 'ecs';
  readonly launcher: RunTaskLauncher<RunTaskCommandInput>;
  private readonly watcher: TaskWatcher;
  private readonly listeners: ((exit: ComputeExit) => void)[] = [];

  constructor(private readonly o: EcsFargateDriverOptions) {
    for (const [setting, family] of [
      ['ECS_TASK_DEFINITION', o.taskDefinition],
      ['ECS_WARM_TASK_DEFINITION', o.warmTaskDefinition],
    ] as const) {
      if (family !== undefined && !family.includes('{org}')) {
        throw new Error(
          `${setting} must name per-org runner task definitions (contain {org}, e.g. omakase-runner-{org}); "${family}" would run every org on one shared definition`,
        );
      }
    }
    this.launcher = new RunTaskLauncher({
      ratePerSecond: o.runTaskRatePerSecond ?? 20,
      burst: o.runTaskBurst ?? 100,
      logger: o.logger,
      isPermanent: isLaunchRefused,
      send: async (input) => {
        const out = await o.client.send(new RunTaskCommand(input)).catch((error: unknown) => {
          if (!isMissingDefinition(error)) throw error;
          throw new LaunchRefusedError(
            `no per-org runner for this organisation: task definition ${input.taskDefinition} is not deployed (onboard the org: cdk deploy -c orgs=…, docs/deploy.md)`,
          );
        });
        const arn = out.tasks?.[0]?.taskArn;
        if (!arn) {
          const failure = out.failures?.[0];
          throw Object.assign(
            new Error(`RunTask failed: ${failure?.reason ?? 'no task'} ${failure?.detail ?? ''}`),
            {
              name: 'RunTaskFailure',
            },
          );
        }
        return arn;
      },
    });
    this.watcher = new TaskWatcher({
      client: o.client,
      cluster: o.cluster,
      containerName: o.containerName,
      pollIntervalMs: o.pollIntervalMs ?? 2000,
      logger: o.logger,
      onExit: (exit) => {
        for (const listener of this.listeners) listener(exit);
      },
    });
  }

  /** The RunTask request for a run (exported for tests and for the docs' worked example). */
  runTaskInput(spec: ComputeSpec): RunTaskCommandInput {
    const ephemeral = new Set(this.o.ephemeralSecrets ?? DEFAULT_EPHEMERAL);
    const injected = new Set([...FETCHED_BY_RUNNER, ...(this.o.taskDefinitionSecrets ?? [])]);
    // The model key is never an override (overrides show in DescribeTasks and CloudTrail), nor in
    // the task definition: the runner fetches its org's key (or a fallback org's) with its run token.
    const env: Record<string, string> = {
      ...spec.env,
      OMAKASE_ROLE: spec.role,
      OMAKASE_MODEL_KEY_SOURCE: 'api',
    };
    for (const [key, value] of Object.entries(spec.secrets)) {
      if (injected.has(key)) continue;
      if (!ephemeral.has(key)) {
        throw Object.assign(
          new Error(`secret ${key} is neither injected by the task definition nor ephemeral`),
          {
            code: 'secret_not_allowed_in_overrides',
          },
        );
      }
      env[key] = value;
    }
    // WORKSPACE_DIR is valid in the task too: orchestrator and runners mount the same EFS
    // file system at the same path (infra/), so the git workspace flow is unchanged.
    const spot = (this.o.spotForNonUrgent ?? true) && !spec.urgent;
    return {
      cluster: this.o.cluster,
      taskDefinition: this.o.taskDefinition.replaceAll('{org}', spec.orgId),
      count: 1,
      capacityProviderStrategy: [{ capacityProvider: spot ? 'FARGATE_SPOT' : 'FARGATE', weight: 1 }],
      networkConfiguration: this.network(),
      // startedBy is capped at 36 characters: the run id; the rest goes into tags.
      startedBy: spec.runId.slice(0, 36),
      group: `omakase:${spec.role}`,
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
      tags: [
        { key: 'omakase:org', value: spec.orgId },
        { key: 'omakase:project', value: spec.projectId },
        { key: 'omakase:feature', value: spec.featureId },
        { key: 'omakase:run', value: spec.runId },
        { key: 'omakase:role', value: spec.role },
      ],
      overrides: {
        // Task-level size (the container has no own limit): Fargate checks the pair (settings validate it).
        ...(spec.resources
          ? { cpu: String(spec.resources.cpu), memory: String(spec.resources.memoryMiB) }
          : {}),
        containerOverrides: [
          {
            name: this.o.containerName,
            environment: Object.entries(env).map(([name, value]) => ({ name, value })),
          },
        ],
      },
    };
  }

  /** RunTask for a warm pool task: no run yet, on-demand capacity (it may serve an urgent run). */
  warmTaskInput(spec: WarmSpec): RunTaskCommandInput {
    if (!this.o.warmTaskDefinition) throw new Error('no warm task definition configured');
    return {
      cluster: this.o.cluster,
      taskDefinition: this.o.warmTaskDefinition.replaceAll('{org}', spec.orgId),
      count: 1,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
      networkConfiguration: this.network(),
      startedBy: spec.warmId.slice(0, 36),
      group: 'omakase:warm',
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
      tags: [
        { key: 'omakase:org', value: spec.orgId },
        { key: 'omakase:warm', value: spec.warmId },
      ],
      overrides: {
        containerOverrides: [
          {
            name: this.o.containerName,
            environment: Object.entries({ ...spec.env, OMAKASE_WARM: '1', OMAKASE_WARM_ID: spec.warmId }).map(
              ([name, value]) => ({ name, value }),
            ),
          },
        ],
      },
    };
  }

  async startWarm(spec: WarmSpec): Promise<RunHandle> {
    const arn = await this.launcher.launch(this.warmTaskInput(spec));
    this.watcher.track(arn, spec.warmId as RunId);
    this.o.logger.info({ orgId: spec.orgId, warmId: spec.warmId, taskArn: arn }, 'warm task started');
    return arn;
  }

  adopt(handle: RunHandle, runId: RunId): void {
    this.watcher.adopt(handle, runId);
  }

  private network(): RunTaskCommandInput['networkConfiguration'] {
    return {
      awsvpcConfiguration: {
        subnets: this.o.subnets,
        securityGroups: this.o.securityGroups,
        assignPublicIp: this.o.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    };
  }

  async start(spec: ComputeSpec): Promise<RunHandle> {
    const arn = await this.launcher.launch(this.runTaskInput(spec));
    this.watcher.track(arn, spec.runId);
    this.o.logger.info({ runId: spec.runId, taskArn: arn, urgent: spec.urgent }, 'fargate task started');
    return arn;
  }

  async stop(handle: RunHandle): Promise<void> {
    this.watcher.markStopping(handle);
    await this.o.client.send(
      new StopTaskCommand({ cluster: this.o.cluster, task: handle, reason: 'Stopped by Omakase' }),
    );
  }

  async status(handle: RunHandle): Promise<ComputeStatus> {
    const out = await this.o.client.send(
      new DescribeTasksCommand({ cluster: this.o.cluster, tasks: [handle] }),
    );
    const task = out.tasks?.[0];
    if (!task) return { state: 'unknown' };
    if (task.lastStatus === 'STOPPED') {
      return {
        state: 'exited',
        ...mapStoppedTask(task, this.o.containerName, task.stopCode === 'UserInitiated'),
      };
    }
    return task.lastStatus === 'RUNNING' ? { state: 'running' } : { state: 'starting' };
  }

  onExit(listener: (exit: ComputeExit) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.launcher.close();
    const live = this.watcher.close();
    if (this.o.stopTasksOnClose ?? true) {
      await Promise.allSettled(
        live.map((arn) =>
          this.o.client.send(
            new StopTaskCommand({ cluster: this.o.cluster, task: arn, reason: 'orchestrator shutdown' }),
          ),
        ),
      );
    }
  }
}
