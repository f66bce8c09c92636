/**
 * The runners' only way to the internet: an HTTP CONNECT proxy (apps/orchestrator/src/egress-main.ts,
 * the same allowlist code as the local sandbox's egress proxy) as a small ECS service, reachable at
 * a Cloud Map name from the runners' security group only. It alone may open HTTPS connections out,
 * and only to the platform API, the model endpoint and the M2M token endpoint (warm runners).
 */
import { Duration, aws_ec2 as ec2, type aws_ecr as ecr, aws_ecs as ecs, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PlatformConfig } from './config';
import { RUNNER_UID } from './data';

const TSX_LOADER = '/opt/tsx/node_modules/tsx/dist/loader.mjs';
export const EGRESS_HOST = 'egress';
export const EGRESS_NAMESPACE = 'omakase.internal';

/** `https://tenant.auth0.com/oauth/token` → `tenant.auth0.com:443` (the proxy's allowlist form). */
const destinationOf = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
};

export class EgressProxy extends Construct {
  readonly service: ecs.FargateService;
  readonly securityGroup: ec2.SecurityGroup;
  readonly port: number;
  /** What runners put in HTTPS_PROXY. */
  readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    props: { vpc: ec2.IVpc; cluster: ecs.Cluster; repository: ecr.IRepository; config: PlatformConfig },
  ) {
    super(scope, id);
    const { vpc, cluster, repository, config } = props;
    this.port = config.egressProxyPort;
    this.url = `http://${EGRESS_HOST}.${EGRESS_NAMESPACE}:${this.port}`;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: config.logRetentionDays });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDef', {
      family: 'omakase-egress-proxy',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    taskDefinition.addContainer('egress', {
      // The orchestrator image holds the proxy's code; only the entry point differs.
      image: ecs.ContainerImage.fromEcrRepository(repository, config.imageTag),
      entryPoint: ['node', '--import', TSX_LOADER, 'apps/orchestrator/src/egress-main.ts'],
      user: `${RUNNER_UID}:${RUNNER_UID}`,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'egress' }),
      environment: {
        NODE_ENV: 'production',
        EGRESS_PORT: String(this.port),
        OMAKASE_API_URL: config.apiUrl,
        ANTHROPIC_BASE_URL: config.modelBaseUrl,
        // Warm runners get their M2M tokens there.
        EGRESS_EXTRA_DESTINATIONS: destinationOf(config.tokenUrl),
      },
      portMappings: [{ containerPort: this.port }],
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `require('net').connect(${this.port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`,
        ],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
      },
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc,
      description: 'Egress proxy: HTTPS out to the allowlisted destinations (enforced by the proxy)',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to allowlisted APIs');
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: 2,
      minHealthyPercent: 50,
      maxHealthyPercent: 200,
      // Where the runners are (public subnets only when the VPC has no NAT).
      assignPublicIp: config.runnerPublicIp,
      securityGroups: [this.securityGroup],
      vpcSubnets: {
        subnetType: config.runnerPublicIp ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS,
      },
      circuitBreaker: { rollback: true },
      cloudMapOptions: { name: EGRESS_HOST, containerPort: this.port },
    });
  }
}
