/**
 * `COMPUTE_DRIVER=local|ecs`: the only switch between running agents as local sandboxed
 * processes and as Fargate tasks. The ECS settings are parsed at boot with the rest of the
 * environment, and required, only for `ecs` (env.ts).
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import type { Logger } from 'pino';
import type { EcsEnv } from '../env';
import { EcsFargateDriver } from './ecs/ecs-driver';
import { LocalProcessDriver } from './local-process-driver';
import { localRunnerCommand } from './runner-command';
import { sandboxAvailable } from './sandbox';
import { isDemoModel, SandboxRefused, type SandboxSetting, sandboxDecision } from './sandbox-policy';
import type { ComputeDriver } from './types';

export interface DriverSelection {
  COMPUTE_DRIVER: 'local' | 'ecs';
  COMPUTE_SANDBOX: SandboxSetting;
  OMAKASE_DATA_DIR: string;
  /** Tell real agents from demo mode (sandbox-policy.ts). */
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  /** The ECS settings: present exactly when COMPUTE_DRIVER is `ecs`. */
  ecs?: EcsEnv;
}

/**
 * Throws `SandboxRefused` when local runs would go unsandboxed without the operator's explicit
 * `COMPUTE_SANDBOX=off` (entry points exit with SANDBOX_REFUSED_EXIT).
 */
export function selectDriver(
  env: DriverSelection,
  logger: Logger,
  probeSandbox: () => boolean = sandboxAvailable,
): ComputeDriver {
  if (env.COMPUTE_DRIVER === 'local') {
    const decision = sandboxDecision({
      setting: env.COMPUTE_SANDBOX,
      bubblewrap: env.COMPUTE_SANDBOX !== 'off' && probeSandbox(),
      demo: isDemoModel({ apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL }),
    });
    if (decision.run === 'refused') throw new SandboxRefused(decision.message);
    if (decision.run === 'unsandboxed' && decision.warning) logger.warn(decision.warning);
    return new LocalProcessDriver({
      runnerCommand: localRunnerCommand(),
      hiddenDirs: [env.OMAKASE_DATA_DIR],
      sandbox: env.COMPUTE_SANDBOX === 'on' ? 'required' : env.COMPUTE_SANDBOX,
      logger,
    });
  }
  const ecs = env.ecs;
  if (!ecs) throw new Error('COMPUTE_DRIVER=ecs needs the ECS settings (parseOrchestratorEnv reads them)');
  const client = new ECSClient({
    region: ecs.AWS_REGION,
    ...(ecs.ECS_ENDPOINT ? { endpoint: ecs.ECS_ENDPOINT } : {}),
    // The launcher owns RunTask retries (throttling backoff with jitter); the SDK must not add its own.
    maxAttempts: 1,
  });
  return new EcsFargateDriver({
    client,
    cluster: ecs.ECS_CLUSTER,
    taskDefinition: ecs.ECS_TASK_DEFINITION,
    containerName: ecs.ECS_CONTAINER_NAME,
    subnets: ecs.ECS_SUBNETS,
    securityGroups: ecs.ECS_SECURITY_GROUPS,
    assignPublicIp: ecs.ECS_ASSIGN_PUBLIC_IP,
    taskDefinitionSecrets: ecs.ECS_TASK_DEFINITION_SECRETS,
    spotForNonUrgent: ecs.ECS_SPOT_FOR_NON_URGENT,
    runTaskRatePerSecond: ecs.ECS_RUNTASK_RATE,
    runTaskBurst: ecs.ECS_RUNTASK_BURST,
    pollIntervalMs: ecs.ECS_POLL_INTERVAL_MS,
    warmTaskDefinition: ecs.ECS_WARM_TASK_DEFINITION,
    logger,
  });
}
