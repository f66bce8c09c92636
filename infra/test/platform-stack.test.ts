/** Security-relevant properties of the synthesized template, checked with aws-cdk-lib/assertions. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../src';
import type { PlatformConfig } from '../src/config';

const TOKEN_URL = 'https://tenant.example.auth0.com/oauth/token';
const synth = (config: Partial<PlatformConfig> = {}) =>
  Template.fromStack(new PlatformStack(new App(), 'Test', { config: { tokenUrl: TOKEN_URL, ...config } }));
const template = synth();

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statements = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
const asList = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
const containerOf = (t: Template, family: string) => {
  const defs = Object.values(t.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: family } }));
  expect(defs).toHaveLength(1);
  return (defs[0] as { Properties: { ContainerDefinitions: Record<string, unknown>[] } }).Properties
    .ContainerDefinitions[0]!;
};
const env = (c: Record<string, unknown>) =>
  Object.fromEntries((c.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));

describe('PlatformStack', () => {
  it('has a cluster with Fargate and Fargate Spot capacity providers', () => {
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
    });
  });

  it('gives runners no public IP unless configured', () => {
    const orch = containerOf(template, 'omakase-orchestrator');
    expect(env(orch).ECS_ASSIGN_PUBLIC_IP).toBe('false');
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    expect(
      env(containerOf(synth({ runnerPublicIp: true }), 'omakase-orchestrator')).ECS_ASSIGN_PUBLIC_IP,
    ).toBe('true');
  });

  it('grants no wildcard actions, and no wildcard resources on data services', () => {
    const all = statements(template);
    expect(all.length).toBeGreaterThan(5);
    for (const s of all) {
      for (const action of asList(s.Action)) {
        expect(action, JSON.stringify(s)).not.toMatch(/^\*$|:\*$/);
        if (/^(secretsmanager|s3|rds|dynamodb|elasticfilesystem|ssm):/.test(action)) {
          expect(asList(s.Resource), `${action} on *`).not.toContain('*');
        }
      }
    }
  });

  it('lets the orchestrator run, stop and describe runner tasks and pass only the runner roles', () => {
    const all = statements(synth({ orgs: [{ id: 'org_a', warmPoolSize: 0 }] }));
    const run = all.find((s) => asList(s.Action).includes('ecs:RunTask'))!;
    expect(JSON.stringify(run.Resource)).toContain('task-definition/omakase-runner-org_a:*');
    const pass = all.find((s) => asList(s.Action).includes('iam:PassRole'))!;
    expect(asList(pass.Resource)).toHaveLength(2);
    expect(
      all.some((s) => asList(s.Action).some((a) => a.startsWith('ecs:') && asList(s.Resource).includes('*'))),
    ).toBe(false);
    // No org: no runner definition, so the orchestrator may start and pass nothing.
    const none = statements(template);
    expect(none.some((s) => asList(s.Action).includes('ecs:RunTask'))).toBe(false);
    expect(none.some((s) => asList(s.Action).includes('iam:PassRole'))).toBe(false);
  });

  it('runs the runner as non-root with a read-only root filesystem and no secret at all', () => {
    const runner = containerOf(synth({ orgs: [{ id: 'org_a', warmPoolSize: 0 }] }), 'omakase-runner-org_a');
    expect(runner.User).toBe('10001:10001');
    expect(runner.ReadonlyRootFilesystem).toBe(true);
    expect(runner.Secrets ?? []).toEqual([]);
    for (const name of Object.keys(env(runner))) expect(name).not.toMatch(/KEY$|TOKEN|SECRET|PASSWORD/);
    expect(env(runner).OMAKASE_MODEL_KEY_SOURCE).toBe('api');
    expect(runner.LogConfiguration).toMatchObject({ LogDriver: 'awslogs' });
  });

  it('encrypts data at rest and keeps the database private', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageEncrypted: true,
      PubliclyAccessible: false,
    });
    template.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true });
    template.allResourcesProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS' },
    });
  });

  it('sets a retention on every log group', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const g of groups)
      expect((g as { Properties: { RetentionInDays?: number } }).Properties.RetentionInDays).toBe(30);
  });

  it('keeps at least one orchestrator task with a container health check', () => {
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    expect(containerOf(template, 'omakase-orchestrator').HealthCheck).toMatchObject({ Retries: 3 });
  });

  it('gives the orchestrator its own M2M client by reference, not the run-token signing key', () => {
    const orchestrator = containerOf(template, 'omakase-orchestrator');
    const names = (orchestrator.Secrets as { Name: string }[]).map((s) => s.Name);
    expect(names).toEqual(
      expect.arrayContaining(['ORCHESTRATOR_M2M_CLIENT_ID', 'ORCHESTRATOR_M2M_CLIENT_SECRET']),
    );
    expect(names).not.toContain('RUN_TOKEN_SECRET');
    expect(env(orchestrator)).toMatchObject({ M2M_TOKEN_URL: TOKEN_URL });
    // Plain environment holds no credential (ECS_TASK_DEFINITION_SECRETS only lists names).
    const plain = Object.keys(env(orchestrator)).filter((name) => name !== 'ECS_TASK_DEFINITION_SECRETS');
    for (const name of plain) expect(name).not.toMatch(/SECRET|PASSWORD/);
  });

  it('uses an external DATABASE_URL secret instead of RDS when given', () => {
    const t = synth({
      databaseUrlSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-url-AbCdEf',
    });
    t.resourceCountIs('AWS::RDS::DBInstance', 0);
    const names = (containerOf(t, 'omakase-orchestrator').Secrets as { Name: string }[]).map((s) => s.Name);
    expect(names).toContain('DATABASE_URL');
  });
});
