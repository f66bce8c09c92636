/** `npx cdk synth` entry point. Context: -c apiUrl=https://… -c runnerPublicIp=false -c vpcId=vpc-… */
import { App } from 'aws-cdk-lib';
import { PlatformStack } from '../src/platform-stack';

const app = new App();
const ctx = (key: string) => app.node.tryGetContext(key);
const vpcId = ctx('vpcId');
new PlatformStack(app, 'OmakaseCloud', {
  // Environment-agnostic unless a VPC is imported (the lookup needs an account and Region).
  ...(vpcId
    ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
    : {}),
  config: {
    ...(ctx('apiUrl') ? { apiUrl: ctx('apiUrl') } : {}),
    ...(vpcId ? { vpcId } : {}),
    ...(ctx('databaseUrlSecretArn') ? { databaseUrlSecretArn: ctx('databaseUrlSecretArn') } : {}),
    runnerPublicIp: ctx('runnerPublicIp') === 'true' || ctx('runnerPublicIp') === true,
    ...(ctx('imageTag') ? { imageTag: ctx('imageTag') } : {}),
    warmPoolSize: Number(ctx('warmPoolSize') ?? 0),
  },
});
app.synth();
