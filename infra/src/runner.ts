/**
 * The agent runner: one task definition for every role (the role arrives in the RunTask
 * overrides). Non-root, read-only root filesystem, secrets only by Secrets Manager reference,
 * and a task role that can do nothing but mount its workspace volume. With `orgs` configured,
 * each org also gets its own task definitions mounting only its own workspace directory.
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

export const RUNNER_CONTAINER = 'runner';
export const WORKSPACES_PATH = '/data/workspaces';

export class AgentRunner extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
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
      config: PlatformConfig;
    },
  ) {
    super(scope, id);
    const { vpc, data, config } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetentionDays });
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc,
      description: 'Agent runners: HTTPS out (model API, platform API), NFS to the workspace volume',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the model and platform APIs',
    );
    data.workspaces.connections.allowDefaultPortFrom(this.securityGroup);
    this.securityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(2049), 'NFS (workspaces)');

    this.taskDefinition = this.define(
      'TaskDef',
      'omakase-runner',
      data.workspacesAccessPoint,
      WORKSPACES_PATH,
    );
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

  private define(
    id: string,
    family: string,
    accessPoint: efs.IAccessPoint,
    mountPath: string,
    extraSecrets: Record<string, ecs.Secret> = {},
  ): ecs.FargateTaskDefinition {
    const { repository, data, config } = this.props;
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
      },
      secrets: { ANTHROPIC_API_KEY: ecs.Secret.fromSecretsManager(data.anthropicApiKey), ...extraSecrets },
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
