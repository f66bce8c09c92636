/**
 * `npx cdk synth` / `cdk deploy` entry point. Context: -c apiUrl=https://… -c tokenUrl=https://…
 * -c orgs=org_a:2,org_b -c fallbackCredentialOrgs=org_a -c runnerPublicIp=false -c vpcId=vpc-…
 * Without apiUrl/tokenUrl the template synthesizes with placeholders and refuses to deploy.
 */
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
    // -c orgs=org_a:2,org_b → per-org task definitions; the number is that org's warm pool size.
    orgs: String(ctx('orgs') ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [id = '', size = '0'] = entry.split(':');
        return { id, warmPoolSize: Number(size) };
      }),
    ...(ctx('tokenUrl') ? { tokenUrl: ctx('tokenUrl') } : {}),
    ...(ctx('modelBaseUrl') ? { modelBaseUrl: ctx('modelBaseUrl') } : {}),
    fallbackCredentialOrgs: String(ctx('fallbackCredentialOrgs') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  },
});
app.synth();
