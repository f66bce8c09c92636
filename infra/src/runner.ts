/**
 * The agent runner: one task definition for every role (the role arrives in the RunTask
 * overrides). Non-root, read-only root filesystem, secrets only by Secrets Manager reference,
 * and a task role that can do nothing but mount its workspace volume.
 */
import {
  Duration,
  aws_ec2 as ec2,
  type aws_ecr as ecr,
  aws_ecs as ecs,
  aws_iam as iam,
  aws_logs as logs,
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

  constructor(
    scope: Construct,
    id: string,
    props: { vpc: ec2.IVpc; repository: ecr.IRepository; data: PlatformData; config: PlatformConfig },
  ) {
    super(scope, id);
    const { vpc, repository, data, config } = props;
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

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'omakase-runner',
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
            authorizationConfig: { accessPointId: data.workspacesAccessPoint.accessPointId, iam: 'ENABLED' },
          },
        },
        { name: 'tmp' },
      ],
    });
    const container = this.taskDefinition.addContainer(RUNNER_CONTAINER, {
      image: ecs.ContainerImage.fromEcrRepository(repository, config.imageTag),
      user: `${RUNNER_UID}:${RUNNER_UID}`,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'run' }),
      environment: {
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        HOME: '/tmp',
        NODE_ENV: 'production',
      },
      secrets: { ANTHROPIC_API_KEY: ecs.Secret.fromSecretsManager(data.anthropicApiKey) },
      stopTimeout: Duration.seconds(30),
    });
    container.addMountPoints(
      { sourceVolume: 'workspaces', containerPath: WORKSPACES_PATH, readOnly: false },
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    );
    // Task role: mount the workspace volume through its access point, nothing else.
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [data.workspaces.fileSystemArn],
        conditions: {
          StringEquals: { 'elasticfilesystem:AccessPointArn': data.workspacesAccessPoint.accessPointArn },
        },
      }),
    );
  }
}
