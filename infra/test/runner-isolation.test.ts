/**
 * Cloud runners fail closed and hold nothing of the platform's: no runner definition mounts the
 * root workspaces access point (there is no shared runner at all), each one's access point is its
 * org's directory, runner egress goes only to the egress proxy and EFS, no runner has a model key,
 * and the proxy carries the allowlist. Plus the offline synth: placeholders synthesize, and a
 * template holding one carries a CloudFormation rule that refuses the deploy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../src';
import { PLACEHOLDERS, type PlatformConfig } from '../src/config';

const REAL = { apiUrl: 'https://omakase.acme.dev', tokenUrl: 'https://acme.eu.auth0.com/oauth/token' };
const synth = (config: Partial<PlatformConfig>) =>
  Template.fromStack(new PlatformStack(new App(), 'Test', { config }));

type Container = {
  Name: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string }[];
  EntryPoint?: string[];
  MountPoints?: { SourceVolume: string }[];
};
type Def = {
  Properties: {
    Family: string;
    Volumes?: { EFSVolumeConfiguration?: { AuthorizationConfig: { AccessPointId: { Ref: string } } } }[];
    ContainerDefinitions: Container[];
  };
};
const definitions = (t: Template) => Object.values(t.findResources('AWS::ECS::TaskDefinition')) as Def[];
const envOf = (c: Container) => Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));
const rootPath = (t: Template, logicalId: string) =>
  (t.findResources('AWS::EFS::AccessPoint')[logicalId] as { Properties: { RootDirectory: { Path: string } } })
    .Properties.RootDirectory.Path;
const accessPointOf = (d: Def) =>
  d.Properties.Volumes?.find((v) => v.EFSVolumeConfiguration)?.EFSVolumeConfiguration?.AuthorizationConfig
    .AccessPointId.Ref;
const isRunner = (d: Def) => /^omakase-(runner|warm)/.test(d.Properties.Family);

describe('runners fail closed', () => {
  const orgs = [
    { id: 'org_a', warmPoolSize: 1 },
    { id: 'org_b', warmPoolSize: 0 },
  ];
  const t = synth({ ...REAL, orgs });

  it('has no shared runner definition, and none that mounts the root access point', () => {
    const runners = definitions(t).filter(isRunner);
    expect(runners.map((d) => d.Properties.Family).sort()).toEqual([
      'omakase-runner-org_a',
      'omakase-runner-org_b',
      'omakase-warm-org_a',
    ]);
    for (const d of definitions(t)) {
      const ap = accessPointOf(d);
      if (!ap || rootPath(t, ap) !== '/workspaces') continue;
      expect(d.Properties.Family, 'only the orchestrator mounts every org').toBe('omakase-orchestrator');
    }
  });

  it("roots every runner definition's access point at its own org's directory", () => {
    for (const d of definitions(t).filter(isRunner)) {
      const org = d.Properties.Family.replace(/^omakase-(runner|warm)-/, '');
      expect(rootPath(t, accessPointOf(d)!)).toBe(`/workspaces/${org}`);
    }
  });

  it('synthesizes no runner definition at all without orgs', () => {
    expect(definitions(synth(REAL)).filter(isRunner)).toEqual([]);
  });

  it('puts no model key (no secret but a warm M2M client) into any runner container', () => {
    for (const d of definitions(t).filter(isRunner)) {
      const c = d.Properties.ContainerDefinitions[0]!;
      const secrets = (c.Secrets ?? []).map((s) => s.Name);
      expect(secrets, d.Properties.Family).not.toContain('ANTHROPIC_API_KEY');
      for (const name of secrets) expect(name).toMatch(/^OMAKASE_M2M_CLIENT_(ID|SECRET)$/);
      expect(envOf(c)).not.toHaveProperty('ANTHROPIC_API_KEY');
      expect(envOf(c).OMAKASE_MODEL_KEY_SOURCE).toBe('api');
    }
    const orchestrator = definitions(t).find((d) => d.Properties.Family === 'omakase-orchestrator')!;
    expect(envOf(orchestrator.Properties.ContainerDefinitions[0]!)).not.toHaveProperty(
      'ECS_TASK_DEFINITION_SECRETS',
    );
  });

  it("runs the agent under its own uid, never the runner's (which holds the run token)", () => {
    const dockerfile = readFileSync(
      fileURLToPath(new URL('../../docker/agent-runner.Dockerfile', import.meta.url)),
      'utf8',
    );
    for (const d of definitions(t).filter(isRunner)) {
      const c = d.Properties.ContainerDefinitions[0] as Container & { User?: string };
      const env = envOf(c);
      expect({ family: d.Properties.Family, isolation: env.OMAKASE_AGENT_ISOLATION }).toEqual({
        family: d.Properties.Family,
        isolation: 'user',
      });
      expect(c.User).toBe('10001:10001');
      expect(env.OMAKASE_AGENT_UID).toBe('10002');
      expect(env.OMAKASE_AGENT_GID).toBe('10002');
    }
    // The image has that user and a setuid helper only the runner's group may run.
    expect(dockerfile).toMatch(/useradd --uid 10002 --gid agent/);
    expect(dockerfile).toMatch(
      /install -o root -g runner -m 4750 \/usr\/bin\/setpriv \/usr\/local\/libexec\/omakase\/agent-setpriv/,
    );
    expect(dockerfile).toMatch(/OMAKASE_AGENT_ISOLATION=user/);
  });
});

describe('runner egress', () => {
  const t = synth({ ...REAL, orgs: [{ id: 'org_a', warmPoolSize: 0 }] });
  const groups = t.findResources('AWS::EC2::SecurityGroup') as Record<
    string,
    { Properties: { GroupDescription: string; SecurityGroupEgress?: Record<string, unknown>[] } }
  >;
  const idOf = (description: RegExp) =>
    Object.entries(groups).find(([, g]) => description.test(g.Properties.GroupDescription))![0];
  const runnerSg = idOf(/^Agent runners/);
  const proxySg = idOf(/^Egress proxy/);
  const efsSg = Object.keys(groups).find((id) => id.includes('WorkspacesEfs'))!;

  it('goes only to the egress proxy and EFS, never to an address range', () => {
    const rules = groups[runnerSg]!.Properties.SecurityGroupEgress!;
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule).not.toHaveProperty('CidrIp');
      expect(rule).not.toHaveProperty('CidrIpv6');
    }
    const byTarget = Object.fromEntries(
      rules.map((r) => [(r.DestinationSecurityGroupId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0], r]),
    );
    expect(byTarget[proxySg]).toMatchObject({ IpProtocol: 'tcp', FromPort: 3128, ToPort: 3128 });
    expect(byTarget[efsSg]).toMatchObject({ IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049 });
    // No separate egress resource widens it either.
    const extra = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).filter((r) =>
      JSON.stringify(r).includes(runnerSg),
    );
    expect(extra).toEqual([]);
  });

  it('lets only the proxy reach 443 out, and only runners reach the proxy', () => {
    expect(groups[proxySg]!.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    const intoProxy = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) =>
      JSON.stringify((r as { Properties: { GroupId: unknown } }).Properties.GroupId).includes(proxySg),
    ) as { Properties: { SourceSecurityGroupId: { 'Fn::GetAtt': string[] } } }[];
    expect(intoProxy.map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0])).toEqual([runnerSg]);
  });

  it('runs the proxy with the allowlist (platform API, model endpoint) and points runners at it', () => {
    const proxy = definitions(t).find((d) => d.Properties.Family === 'omakase-egress-proxy')!;
    const c = proxy.Properties.ContainerDefinitions[0]!;
    expect(c.EntryPoint?.at(-1)).toBe('apps/orchestrator/src/egress-main.ts');
    expect(envOf(c)).toMatchObject({
      EGRESS_PORT: '3128',
      OMAKASE_API_URL: REAL.apiUrl,
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      EGRESS_EXTRA_DESTINATIONS: 'acme.eu.auth0.com:443',
    });
    expect(c.Secrets ?? []).toEqual([]);
    const runner = definitions(t).find((d) => d.Properties.Family === 'omakase-runner-org_a')!;
    expect(envOf(runner.Properties.ContainerDefinitions[0]!)).toMatchObject({
      HTTPS_PROXY: 'http://egress.omakase.internal:3128',
      OMAKASE_API_PROXY: 'http://egress.omakase.internal:3128',
    });
    t.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'egress' });
  });
});

/** Evaluates a rule assertion the way CloudFormation does, for the literal-only ones we emit. */
function evaluate(node: unknown): boolean {
  const fn = node as Record<string, unknown[]>;
  if (fn['Fn::Not']) return !evaluate(fn['Fn::Not'][0]);
  if (fn['Fn::Equals']) return fn['Fn::Equals'][0] === fn['Fn::Equals'][1];
  throw new Error(`unexpected rule function ${JSON.stringify(node)}`);
}
type Rules = Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
const ourRules = (t: Template) =>
  Object.entries((t.toJSON().Rules ?? {}) as Rules).filter(([id]) => id.startsWith('Require'));

describe('offline synth, deploy-time check', () => {
  it('synthesizes without any context, and refuses to deploy the placeholders, naming them', () => {
    const t = synth({});
    const failing = ourRules(t).flatMap(([, rule]) =>
      rule.Assertions.filter((a) => !evaluate(a.Assert)).map((a) => a.AssertDescription),
    );
    expect(failing).toHaveLength(2);
    expect(failing.join('\n')).toContain(`apiUrl is a placeholder (${PLACEHOLDERS.apiUrl})`);
    expect(failing.join('\n')).toContain('set -c tokenUrl=https://<tenant>/oauth/token');
  });

  it('deploys real values without a guard rule', () => {
    expect(ourRules(synth(REAL))).toEqual([]);
    const onlyApi = ourRules(synth({ apiUrl: REAL.apiUrl }));
    expect(onlyApi.map(([id]) => id)).toEqual(['RequiretokenUrl']);
  });

  it('runs `npx cdk synth` as docs/deploy.md says: no -c values, no network', () => {
    const infra = fileURLToPath(new URL('..', import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'omakase-cdk-out-'));
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], {
      cwd: infra,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      stdio: 'pipe',
    });
    const template = JSON.parse(readFileSync(join(out, 'OmakaseCloud.template.json'), 'utf8'));
    expect(Object.keys(template.Rules)).toEqual(expect.arrayContaining(['RequireapiUrl', 'RequiretokenUrl']));
  });
});
