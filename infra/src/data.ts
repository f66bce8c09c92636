/** Stateful parts: Postgres (or an external DATABASE_URL), secrets, the shared workspace volume. */
import {
  Duration,
  aws_ec2 as ec2,
  aws_efs as efs,
  RemovalPolicy,
  aws_rds as rds,
  aws_secretsmanager as sm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { PlatformConfig } from './config';

/** Characters left out of the generated DB password so it can sit in a URL unescaped. */
const URL_UNSAFE = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\=^,';
export const RUNNER_UID = 10001;

export class PlatformData extends Construct {
  readonly database?: rds.DatabaseInstance;
  readonly databaseUrl?: sm.ISecret;
  readonly anthropicApiKey: sm.Secret;
  readonly runTokenSecret: sm.Secret;
  /** The orchestrator's Auth0 M2M application (`runs:mint`): `{"clientId","clientSecret"}`. */
  readonly orchestratorClient: sm.Secret;
  readonly workspaces: efs.FileSystem;
  /** Root of every org's workspaces: mounted by the orchestrator only, never by a runner. */
  readonly workspacesAccessPoint: efs.AccessPoint;

  constructor(scope: Construct, id: string, props: { vpc: ec2.IVpc; config: PlatformConfig }) {
    super(scope, id);
    const { vpc, config } = props;
    this.anthropicApiKey = new sm.Secret(this, 'AnthropicApiKey', {
      description:
        "The deployment's own Anthropic key, used only for the orgs in fallbackCredentialOrgs; never in a runner task (set the value after the first deploy)",
    });
    this.runTokenSecret = new sm.Secret(this, 'RunTokenSecret', {
      description: 'HMAC key of run tokens; only the web API (Vercel) holds it: it issues and verifies them',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.orchestratorClient = new sm.Secret(this, 'OrchestratorM2mClient', {
      description:
        'The orchestrator\'s Auth0 M2M application, granted runs:mint: {"clientId":"…","clientSecret":"…"} (set after the first deploy)',
    });
    if (config.databaseUrlSecretArn) {
      this.databaseUrl = sm.Secret.fromSecretCompleteArn(this, 'DatabaseUrl', config.databaseUrlSecretArn);
    } else {
      this.database = new rds.DatabaseInstance(this, 'Postgres', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        credentials: rds.Credentials.fromGeneratedSecret('omakase', { excludeCharacters: URL_UNSAFE }),
        databaseName: 'omakase',
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: config.dbMultiAz,
        backupRetention: Duration.days(7),
        deletionProtection: true,
        removalPolicy: RemovalPolicy.SNAPSHOT,
      });
    }
    this.workspaces = new efs.FileSystem(this, 'Workspaces', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      encrypted: true,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.workspacesAccessPoint = this.workspaces.addAccessPoint('WorkspacesAp', {
      path: '/workspaces',
      posixUser: { uid: String(RUNNER_UID), gid: String(RUNNER_UID) },
      createAcl: { ownerUid: String(RUNNER_UID), ownerGid: String(RUNNER_UID), permissions: '750' },
    });
  }
}
