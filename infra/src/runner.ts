/**
 * The agent runners: per listed org, one task definition for every role (the role arrives in the
 * RunTask overrides) mounting only that org's workspace directory — there is no shared runner, so
 * an org without one cannot run. Non-root, read-only root filesystem, the agent under its own uid
 * (it cannot read the runner's run token), no platform credential (the
 * runner fetches its org's model key with its run token), a task role that can do nothing but
 * mount the org's access point, and network egress only to the egress proxy and EFS.
 */
import {
  Duration,
  aws_ec2 as ec2,
  type aws_ecr as ecr,
  aws_ecs as ecs,
  type aws_efs as efs,
  aws_iam as iam,
  aws_logs as logs,
  aws_secretsmanager as sm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PlatformConfig } from './config';
import { type PlatformData, RUNNER_UID } from './data';
import type { EgressProxy } from './egress-proxy';

export const RUNNER_CONTAINER = 'runner';
/** The image's `agent` user (docker/agent-runner.Dockerfile), never the runner's uid. */
export const AGENT_UID = 10002;
export const WORKSPACES_PATH = '/data/workspaces';

export class AgentRunner extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** Per-org runner (`omakase-runner-<org>`) and warm (`omakase-warm-<org>`) task definitions. */
  readonly orgTaskDefinitions: ecs.FargateTaskDefinition[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: {
      vpc: ec2.IVpc;
      repository: ecr.IRepository;
      data: PlatformData;
      egress: EgressProxy;
      config: PlatformConfig;
    },
  ) {
    super(scope, id);
    const { vpc, data, egress, config } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetentionDays });
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc,
      description: 'Agent runners: only the egress proxy (model and platform APIs) and NFS to the workspaces',
      allowAllOutbound: false,
    });
    // The proxy holds the allowlist; runners have no other route out (no 443 to the internet).
    // Egress rules inline (so the group's egress is exactly these two), ingress as separate
    // resources on the other side (inline on both would be a reference cycle).
    this.allowTo(egress.securityGroup, egress.port, 'egress proxy');
    for (const efsGroup of data.workspaces.connections.securityGroups) {
      this.allowTo(efsGroup, 2049, 'NFS (workspaces)');
    }

    // Per-org isolation: each listed org's runs mount only /workspaces/<org> (its own access
    // point, at the same path the orchestrator uses), with a task role that may mount only that.
    for (const org of config.orgs) {
      const accessPoint = data.workspaces.addAccessPoint(`Ap-${org.id}`, {
        path: `/workspaces/${org.id}`,
        posixUser: { uid: String(RUNNER_UID), gid: String(RUNNER_UID) },
        createAcl: { ownerUid: String(RUNNER_UID), ownerGid: String(RUNNER_UID), permissions: '750' },
      });
      const mountPath = `${WORKSPACES_PATH}/${org.id}`;
      this.orgTaskDefinitions.push(
        this.define(`TaskDef-${org.id}`, `omakase-runner-${org.id}`, accessPoint, mountPath),
      );
      if (org.warmPoolSize === 0) continue;
      // The org's warm runner M2M client (Auth0 application with runs:claim), filled by the operator.
      const m2m = new sm.Secret(this, `WarmM2m-${org.id}`, {
        secretName: `omakase/warm/${org.id}`,
        description: `Auth0 M2M client of ${org.id}'s warm runners: {"clientId","clientSecret"}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ clientId: 'set-me' }),
          generateStringKey: 'clientSecret',
        },
      });
      this.orgTaskDefinitions.push(
        this.define(`WarmTaskDef-${org.id}`, `omakase-warm-${org.id}`, accessPoint, mountPath, {
          OMAKASE_M2M_CLIENT_ID: ecs.Secret.fromSecretsManager(m2m, 'clientId'),
          OMAKASE_M2M_CLIENT_SECRET: ecs.Secret.fromSecretsManager(m2m, 'clientSecret'),
        }),
      );
    }
  }

  private allowTo(target: ec2.ISecurityGroup, port: number, description: string) {
    this.securityGroup.addEgressRule(
      ec2.Peer.securityGroupId(target.securityGroupId),
      ec2.Port.tcp(port),
      description,
    );
    new ec2.CfnSecurityGroupIngress(this, `From-${target.node.id}-${port}`, {
      groupId: target.securityGroupId,
      sourceSecurityGroupId: this.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      description: `from agent runners: ${description}`,
    });
  }

  private define(
    id: string,
    family: string,
    accessPoint: efs.IAccessPoint,
    mountPath: string,
    extraSecrets: Record<string, ecs.Secret> = {},
  ): ecs.FargateTaskDefinition {
    const { repository, data, egress, config } = this.props;
    const taskDefinition = new ecs.FargateTaskDefinition(this, id, {
      family,
      cpu: config.runner.cpu,
      memoryLimitMiB: config.runner.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      volumes: [
        {
          name: 'workspaces',
          efsVolumeConfiguration: {
            fileSystemId: data.workspaces.fileSystemId,
            transitEncryption: 'ENABLED',
            authorizationConfig: { accessPointId: accessPoint.accessPointId, iam: 'ENABLED' },
          },
        },
        { name: 'tmp' },
      ],
    });
    const container = taskDefinition.addContainer(RUNNER_CONTAINER, {
      image: ecs.ContainerImage.fromEcrRepository(repository, config.imageTag),
      user: `${RUNNER_UID}:${RUNNER_UID}`,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'run' }),
      environment: {
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        HOME: '/tmp',
        NODE_ENV: 'production',
        // Claude Code and the runner's own API client leave only through the allowlisting proxy.
        HTTPS_PROXY: egress.url,
        OMAKASE_API_PROXY: egress.url,
        // The org's key (or, for a fallback org, the deployment's) comes from the API with the run token.
        OMAKASE_MODEL_KEY_SOURCE: 'api',
        // Claude Code runs as the image's `agent` uid, which cannot read this runner's /proc
        // (its run token); the runner refuses to start the agent otherwise.
        OMAKASE_AGENT_ISOLATION: 'user',
        OMAKASE_AGENT_UID: String(AGENT_UID),
        OMAKASE_AGENT_GID: String(AGENT_UID),
      },
      secrets: extraSecrets,
      stopTimeout: Duration.seconds(30),
    });
    container.addMountPoints(
      { sourceVolume: 'workspaces', containerPath: mountPath, readOnly: false },
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    );
    // Task role: mount the workspace volume through its access point, nothing else.
    taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [data.workspaces.fileSystemArn],
        conditions: {
          StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn },
        },
      }),
    );
    return taskDefinition;
  }
}
