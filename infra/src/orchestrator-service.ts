/**
 * The orchestrator as an ECS service (at least one task, container health check, circuit
 * breaker). Its task role may start, stop and describe runner tasks in this cluster only, start
 * exactly the per-org runner definitions and pass exactly their roles.
 */
import {
  Duration,
  aws_ec2 as ec2,
  type aws_ecr as ecr,
  aws_ecs as ecs,
  Fn,
  aws_iam as iam,
  aws_logs as logs,
  Stack,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PlatformConfig } from './config';
import { type PlatformData, RUNNER_UID } from './data';
import { type AgentRunner, RUNNER_CONTAINER, WORKSPACES_PATH } from './runner';

const HEALTH_PORT = 4020;

/** Warm pools: sizes per org (docs/deploy.md); warm tasks get M2M tokens at M2M_TOKEN_URL too. */
function warmEnv(config: PlatformConfig): Record<string, string> {
  const pooled = config.orgs.filter((o) => o.warmPoolSize > 0);
  if (pooled.length === 0) return {};
  return {
    WARM_POOL_SIZES: pooled.map((o) => `${o.id}=${o.warmPoolSize}`).join(','),
    ECS_WARM_TASK_DEFINITION: 'omakase-warm-{org}',
  };
}

export class OrchestratorService extends Construct {
  readonly service: ecs.FargateService;
  readonly logGroup: logs.LogGroup;

  constructor(
    scope: Construct,
    id: string,
    props: {
      vpc: ec2.IVpc;
      cluster: ecs.Cluster;
      repository: ecr.IRepository;
      data: PlatformData;
      runner: AgentRunner;
      config: PlatformConfig;
    },
  ) {
    super(scope, id);
    const { vpc, cluster, repository, data, runner, config } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetentionDays });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'omakase-orchestrator',
      cpu: 512,
      memoryLimitMiB: 1024,
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
    const runnerSubnets = vpc.selectSubnets({
      subnetType: config.runnerPublicIp ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    });
    const secrets: Record<string, ecs.Secret> = {
      // Its own M2M identity: it asks the API for each run's token and never holds the signing key.
      ORCHESTRATOR_M2M_CLIENT_ID: ecs.Secret.fromSecretsManager(data.orchestratorClient, 'clientId'),
      ORCHESTRATOR_M2M_CLIENT_SECRET: ecs.Secret.fromSecretsManager(data.orchestratorClient, 'clientSecret'),
      ANTHROPIC_API_KEY: ecs.Secret.fromSecretsManager(data.anthropicApiKey),
    };
    if (data.databaseUrl) secrets.DATABASE_URL = ecs.Secret.fromSecretsManager(data.databaseUrl);
    if (data.database?.secret) {
      // The entrypoint composes DATABASE_URL from these (docker/orchestrator-entrypoint.sh).
      for (const [name, field] of [
        ['DB_HOST', 'host'],
        ['DB_PORT', 'port'],
        ['DB_USER', 'username'],
        ['DB_PASSWORD', 'password'],
        ['DB_NAME', 'dbname'],
      ] as const) {
        secrets[name] = ecs.Secret.fromSecretsManager(data.database.secret, field);
      }
    }
    const container = taskDefinition.addContainer('orchestrator', {
      image: ecs.ContainerImage.fromEcrRepository(repository, config.imageTag),
      user: `${RUNNER_UID}:${RUNNER_UID}`,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'orchestrator' }),
      environment: {
        NODE_ENV: 'production',
        COMPUTE_DRIVER: 'ecs',
        OMAKASE_API_URL: config.apiUrl,
        M2M_TOKEN_URL: config.tokenUrl,
        OMAKASE_DATA_DIR: '/data',
        HEALTH_PORT: String(HEALTH_PORT),
        AWS_REGION: Stack.of(this).region,
        ECS_CLUSTER: cluster.clusterName,
        // Per-org only: an org without its own definition has no runner (the driver refuses it).
        ECS_TASK_DEFINITION: 'omakase-runner-{org}',
        ECS_CONTAINER_NAME: RUNNER_CONTAINER,
        ECS_SUBNETS: Fn.join(',', runnerSubnets.subnetIds),
        ECS_SECURITY_GROUPS: runner.securityGroup.securityGroupId,
        ECS_ASSIGN_PUBLIC_IP: String(config.runnerPublicIp),
        ...(config.fallbackCredentialOrgs.length > 0
          ? { OMAKASE_FALLBACK_CREDENTIAL_ORGS: config.fallbackCredentialOrgs.join(',') }
          : {}),
        ...warmEnv(config),
      },
      secrets,
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${HEALTH_PORT}/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
    });
    container.addMountPoints(
      { sourceVolume: 'workspaces', containerPath: WORKSPACES_PATH, readOnly: false },
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    );

    const region = Stack.of(this).region;
    const account = Stack.of(this).account;
    const runnerDefinitions = runner.orgTaskDefinitions;
    const familyArn = (family: string) =>
      `arn:${Stack.of(this).partition}:ecs:${region}:${account}:task-definition/${family}:*`;
    const clusterTasksArn = `arn:${Stack.of(this).partition}:ecs:${region}:${account}:task/${cluster.clusterName}/*`;
    const role = taskDefinition.taskRole;
    // No org listed: no runner definition, so nothing to run or pass (and no statement at all).
    if (runnerDefinitions.length > 0) this.allowRunners(role, runnerDefinitions, cluster, familyArn);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
        resources: [clusterTasksArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:TagResource'],
        resources: [clusterTasksArn],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [data.workspaces.fileSystemArn],
      }),
    );

    const sg = new ec2.SecurityGroup(this, 'Sg', {
      vpc,
      description: 'Orchestrator',
      allowAllOutbound: true,
    });
    data.workspaces.connections.allowDefaultPortFrom(sg);
    if (data.database) data.database.connections.allowDefaultPortFrom(sg);
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      assignPublicIp: false,
      securityGroups: [sg],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
      capacityProviderStrategies: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });
  }

  /** RunTask on exactly the per-org runner definitions, PassRole on exactly their roles. */
  private allowRunners(
    role: iam.IRole,
    definitions: ecs.FargateTaskDefinition[],
    cluster: ecs.Cluster,
    familyArn: (family: string) => string,
  ) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: definitions.map((d) => familyArn(d.family)),
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: definitions.flatMap((d) => [d.taskRole.roleArn, d.obtainExecutionRole().roleArn]),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
  }
}
