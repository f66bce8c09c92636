/** The whole AWS side of Omakase Cloud in one environment-agnostic stack. */
import {
  Annotations,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type PlatformConfig, platformConfigSchema } from './config';
import { PlatformData } from './data';
import { addDeployGuard } from './deploy-guard';
import { EGRESS_NAMESPACE, EgressProxy } from './egress-proxy';
import { OrchestratorService } from './orchestrator-service';
import { AgentRunner } from './runner';

export class PlatformStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly runner: AgentRunner;
  readonly egress: EgressProxy;
  readonly orchestrator: OrchestratorService;

  constructor(scope: Construct, id: string, props: StackProps & { config?: Partial<PlatformConfig> } = {}) {
    super(scope, id, props);
    const config = platformConfigSchema.parse(props.config ?? {});
    addDeployGuard(this, config);
    const vpc = config.vpcId
      ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: config.vpcId })
      : new ec2.Vpc(this, 'Vpc', {
          maxAzs: 2,
          natGateways: 1,
          subnetConfiguration: [
            { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
            { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
            { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
          ],
        });
    const repository = (name: string) =>
      new ecr.Repository(this, `${name}Repo`, {
        repositoryName: `omakase/${name.toLowerCase()}`,
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        encryption: ecr.RepositoryEncryption.KMS,
        lifecycleRules: [{ maxImageCount: 30 }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
    const runnerRepo = repository('Runner');
    const orchestratorRepo = repository('Orchestrator');

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: 'omakase',
      enableFargateCapacityProviders: true,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      defaultCloudMapNamespace: { name: EGRESS_NAMESPACE, vpc },
    });
    const data = new PlatformData(this, 'Data', { vpc, config });
    this.egress = new EgressProxy(this, 'Egress', {
      vpc,
      cluster: this.cluster,
      repository: orchestratorRepo,
      config,
    });
    this.runner = new AgentRunner(this, 'Runner', {
      vpc,
      repository: runnerRepo,
      data,
      egress: this.egress,
      config,
    });
    if (config.orgs.length === 0) {
      Annotations.of(this).addWarningV2(
        'omakase:no-orgs',
        'no orgs configured (-c orgs=…): no runner task definition exists, so every run is refused',
      );
    }
    this.orchestrator = new OrchestratorService(this, 'Orchestrator', {
      vpc,
      cluster: this.cluster,
      repository: orchestratorRepo,
      data,
      runner: this.runner,
      config,
    });
  }
}
