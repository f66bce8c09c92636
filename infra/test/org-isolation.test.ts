/**
 * Per-org workspace isolation and warm pools in the template: each listed org's runner task
 * definitions mount only that org's EFS access point, warm definitions alone carry the org's
 * M2M client, and the orchestrator may start and pass exactly these definitions' roles.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../src';
import type { PlatformConfig } from '../src/config';

const synth = (config: Partial<PlatformConfig>) => {
  const stack = new PlatformStack(new App(), 'Test', { config });
  return { stack, t: Template.fromStack(stack) };
};
const { stack, t } = synth({
  orgs: [
    { id: 'org_a', warmPoolSize: 2 },
    { id: 'org_b', warmPoolSize: 0 },
  ],
  tokenUrl: 'https://tenant.example.auth0.com/oauth/token',
});

type Def = {
  Properties: {
    Family: string;
    TaskRoleArn: unknown;
    Volumes: { EFSVolumeConfiguration?: { AuthorizationConfig: { AccessPointId: { Ref: string } } } }[];
    ContainerDefinitions: {
      MountPoints: { SourceVolume: string; ContainerPath: string }[];
      Secrets?: { Name: string }[];
      Environment?: { Name: string; Value: unknown }[];
    }[];
  };
};
const defs = t.findResources('AWS::ECS::TaskDefinition') as Record<string, Def>;
const byFamily = (family: string) => Object.values(defs).find((d) => d.Properties.Family === family);
const accessPoints = t.findResources('AWS::EFS::AccessPoint');
const apFor = (path: string) =>
  Object.entries(accessPoints).find(
    ([, r]) =>
      (r as { Properties: { RootDirectory: { Path: string } } }).Properties.RootDirectory.Path === path,
  )?.[0];
const apOf = (d: Def) =>
  d.Properties.Volumes.find((v) => v.EFSVolumeConfiguration)!.EFSVolumeConfiguration!.AuthorizationConfig
    .AccessPointId.Ref;
const mountOf = (d: Def) =>
  d.Properties.ContainerDefinitions[0]!.MountPoints.find((m) => m.SourceVolume === 'workspaces')!
    .ContainerPath;
const secretsOf = (d: Def) => (d.Properties.ContainerDefinitions[0]!.Secrets ?? []).map((s) => s.Name).sort();

describe('per-org runner task definitions', () => {
  it("mounts only the org's own workspace directory, at the orchestrator's path for it", () => {
    for (const org of ['org_a', 'org_b']) {
      const def = byFamily(`omakase-runner-${org}`)!;
      expect(apOf(def)).toBe(apFor(`/workspaces/${org}`));
      expect(mountOf(def)).toBe(`/data/workspaces/${org}`);
    }
    expect(apFor('/workspaces/org_a')).not.toBe(apFor('/workspaces/org_b'));
    expect(apOf(byFamily('omakase-warm-org_a')!)).toBe(apFor('/workspaces/org_a'));
  });

  it("lets each org's task role mount only through that org's access point", () => {
    const policies = Object.values(t.findResources('AWS::IAM::Policy')) as {
      Properties: {
        Roles: { Ref: string }[];
        PolicyDocument: { Statement: { Action: unknown; Condition?: unknown }[] };
      };
    }[];
    const roleOf = (family: string) =>
      (byFamily(family)!.Properties.TaskRoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    for (const org of ['org_a', 'org_b']) {
      const mine = policies.filter((p) =>
        p.Properties.Roles.some((r) => r.Ref === roleOf(`omakase-runner-${org}`)),
      );
      const conditions = JSON.stringify(
        mine.flatMap((p) => p.Properties.PolicyDocument.Statement.map((s) => s.Condition)),
      );
      const other = org === 'org_a' ? 'org_b' : 'org_a';
      expect(conditions).toContain(apFor(`/workspaces/${org}`));
      expect(conditions).not.toContain(apFor(`/workspaces/${other}`));
      expect(conditions).not.toContain(apFor('/workspaces'));
    }
  });

  it('gives the warm definition, and only it, the org M2M client; no warm pool without a size', () => {
    expect(secretsOf(byFamily('omakase-warm-org_a')!)).toEqual([
      'OMAKASE_M2M_CLIENT_ID',
      'OMAKASE_M2M_CLIENT_SECRET',
    ]);
    expect(secretsOf(byFamily('omakase-runner-org_a')!)).toEqual([]);
    expect(byFamily('omakase-warm-org_b')).toBeUndefined();
  });

  it('configures the orchestrator for per-org definitions and warm pools, and may run exactly those', () => {
    const orch = byFamily('omakase-orchestrator')!.Properties.ContainerDefinitions[0]!;
    const env = Object.fromEntries(orch.Environment!.map((e) => [e.Name, e.Value]));
    expect(env).toMatchObject({
      ECS_TASK_DEFINITION: 'omakase-runner-{org}',
      ECS_WARM_TASK_DEFINITION: 'omakase-warm-{org}',
      WARM_POOL_SIZES: 'org_a=2',
      M2M_TOKEN_URL: 'https://tenant.example.auth0.com/oauth/token',
    });
    const runTask = JSON.stringify(
      Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (
          p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }
        ).Properties.PolicyDocument.Statement.filter((s) => s.Action === 'ecs:RunTask').map(
          (s) => s.Resource,
        ),
      ),
    );
    for (const family of ['omakase-runner-org_a', 'omakase-runner-org_b', 'omakase-warm-org_a']) {
      expect(runTask).toContain(`task-definition/${family}:*`);
    }
    expect(runTask).not.toContain('task-definition/omakase-runner:*');
    expect(stack.runner.orgTaskDefinitions).toHaveLength(3);
  });
});
