/** Shared wiring for ECS driver tests: a real ECSClient pointed at the loopback fake. */
import { ECSClient } from '@aws-sdk/client-ecs';
import type { AgentRole, FeatureId, OrgId, ProjectId, RunId } from '@omakase/domain';
import pino from 'pino';
import { EcsFargateDriver, type EcsFargateDriverOptions } from '../../src/compute/ecs';
import type { ComputeSpec } from '../../src/compute/types';
import { FakeEcs, type FakeEcsOptions } from './fake-ecs';

export const CLUSTER = 'omakase-test';
export const CONTAINER = 'runner';

export function ecsClient(url: string) {
  return new ECSClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
    maxAttempts: 1,
  });
}

export async function startFake(opts: Partial<FakeEcsOptions> = {}) {
  return new FakeEcs({ cluster: CLUSTER, containerName: CONTAINER, ...opts }).start();
}

export function driverFor(fake: FakeEcs, opts: Partial<EcsFargateDriverOptions> = {}) {
  return new EcsFargateDriver({
    client: ecsClient(fake.url),
    cluster: CLUSTER,
    taskDefinition: 'omakase-runner-{org}',
    containerName: CONTAINER,
    subnets: ['subnet-a', 'subnet-b'],
    securityGroups: ['sg-runner'],
    pollIntervalMs: 50,
    logger: pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' }),
    ...opts,
  });
}

let n = 0;
export function specFor(overrides: Partial<ComputeSpec> = {}): ComputeSpec {
  n++;
  return {
    runId: `run_test${n}` as RunId,
    orgId: 'org_test' as OrgId,
    projectId: 'prj_test' as ProjectId,
    featureId: 'fea_test' as FeatureId,
    role: 'coder' as AgentRole,
    urgent: false,
    env: { OMAKASE_API_URL: 'http://api.test', OMAKASE_RUN_ID: `run_test${n}`, WORKSPACE_DIR: '/data/ws/x' },
    secrets: { OMAKASE_RUN_TOKEN: 'tok-123', ANTHROPIC_API_KEY: 'sk-never-in-overrides' },
    workspaceDir: '/data/ws/x',
    ...overrides,
  };
}
