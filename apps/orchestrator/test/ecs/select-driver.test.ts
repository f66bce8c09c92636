import { EnvError, parseEnv } from '@omakase/config';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { selectDriver } from '../../src/compute/select-driver';
import { ecsEnvShape, parseOrchestratorEnv } from '../../src/env';

const logger = pino({ level: 'silent' });
const base = { COMPUTE_SANDBOX: 'off' as const, OMAKASE_DATA_DIR: '/tmp/omakase-none' };

describe('COMPUTE_DRIVER switches compute by configuration only', () => {
  it('local → the local process driver', async () => {
    const driver = selectDriver({ ...base, COMPUTE_DRIVER: 'local' }, logger);
    expect(driver.name).toBe('local');
    await driver.close();
  });

  it('ecs → the Fargate driver, configured from the environment', async () => {
    const ecs = parseEnv(ecsEnvShape, {
      ECS_CLUSTER: 'omakase',
      ECS_TASK_DEFINITION: 'omakase-runner-{org}',
      ECS_SUBNETS: 'subnet-a, subnet-b',
      ECS_SECURITY_GROUPS: 'sg-1',
      ECS_ENDPOINT: 'http://127.0.0.1:1',
    });
    const driver = selectDriver({ ...base, COMPUTE_DRIVER: 'ecs', ecs }, logger);
    expect(driver.name).toBe('ecs');
    await driver.close();
  });

  it('ecs refuses a shared runner task definition at boot (fail closed)', () => {
    const ecs = parseEnv(ecsEnvShape, {
      ECS_CLUSTER: 'omakase',
      ECS_TASK_DEFINITION: 'omakase-runner',
      ECS_SUBNETS: 'subnet-a',
      ECS_SECURITY_GROUPS: 'sg-1',
    });
    const attempt = () => selectDriver({ ...base, COMPUTE_DRIVER: 'ecs', ecs }, logger);
    expect(attempt).toThrow(
      /ECS_TASK_DEFINITION must name per-org runner task definitions \(contain \{org\}/,
    );
  });

  it('ecs without its settings fails at boot, naming them', () => {
    const attempt = () =>
      parseOrchestratorEnv({
        DATABASE_URL: 'postgres://localhost/omakase',
        RUN_TOKEN_SECRET: 'x'.repeat(32),
        COMPUTE_DRIVER: 'ecs',
      });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(/ECS_CLUSTER[\s\S]*ECS_TASK_DEFINITION[\s\S]*ECS_SUBNETS/);
  });
});

it('local needs none of the ECS settings', () => {
  const env = parseOrchestratorEnv({
    DATABASE_URL: 'postgres://localhost/omakase',
    RUN_TOKEN_SECRET: 'x'.repeat(32),
  });
  expect(env.COMPUTE_DRIVER).toBe('local');
  expect(env.ecs).toBeUndefined();
});
