/**
 * `COMPUTE_DRIVER=local|ecs`: the only switch between running agents as local sandboxed
 * processes and as Fargate tasks. The ECS settings are parsed (and required) only for `ecs`.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { envVars, parseEnv } from '@omakase/config';
import type { Logger } from 'pino';
import { z } from 'zod';
import { EcsFargateDriver } from './ecs/ecs-driver';
import { LocalProcessDriver } from './local-process-driver';
import { localRunnerCommand } from './runner-command';
import { sandboxAvailable } from './sandbox';
import { isDemoModel, SandboxRefused, type SandboxSetting, sandboxDecision } from './sandbox-policy';
import type { ComputeDriver } from './types';

const list = z
  .string()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const ecsEnvShape = {
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Only for tests and local fakes; unset in AWS. */
  ECS_ENDPOINT: z.url().optional(),
  ECS_CLUSTER: z.string().min(1),
  /** Per-org runner families, `{org}` = the run's org id (a shared definition is refused). */
  ECS_TASK_DEFINITION: z.string().min(1),
  ECS_CONTAINER_NAME: z.string().min(1).default('runner'),
  ECS_SUBNETS: list,
  ECS_SECURITY_GROUPS: list,
  ECS_ASSIGN_PUBLIC_IP: envVars.bool(false),
  /** More spec secrets a runner task definition injects itself (never sent in overrides). */
  ECS_TASK_DEFINITION_SECRETS: list.optional(),
  ECS_SPOT_FOR_NON_URGENT: envVars.bool(true),
  ECS_RUNTASK_RATE: z.coerce.number().positive().max(100).default(20),
  ECS_RUNTASK_BURST: z.coerce.number().int().min(1).max(100).default(100),
  ECS_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  /** Warm pool task definition per org (`{org}` = org id); it injects that org's M2M client. */
  ECS_WARM_TASK_DEFINITION: z.string().min(1).optional(),
};

export interface DriverSelection {
  COMPUTE_DRIVER: 'local' | 'ecs';
  COMPUTE_SANDBOX: SandboxSetting;
  OMAKASE_DATA_DIR: string;
  /** Tell real agents from demo mode (sandbox-policy.ts). */
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
}

/**
 * Throws `SandboxRefused` when local runs would go unsandboxed without the operator's explicit
 * `COMPUTE_SANDBOX=off` (entry points exit with SANDBOX_REFUSED_EXIT).
 */
export function selectDriver(
  env: DriverSelection,
  logger: Logger,
  processEnv: Record<string, string | undefined> = process.env,
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
  const ecs = parseEnv(ecsEnvShape, processEnv);
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
