/**
 * Deployment knobs for the platform stack. `apiUrl` and `tokenUrl` default to placeholders so an
 * offline `cdk synth` works without context; a template holding a placeholder refuses to deploy
 * (deploy-guard.ts).
 */
import { z } from 'zod';

/** Values that synthesize but must be replaced before a deploy (`.invalid` never resolves). */
export const PLACEHOLDERS = {
  apiUrl: 'https://api.placeholder.invalid',
  tokenUrl: 'https://auth0.placeholder.invalid/oauth/token',
} as const;

const orgId = z
  .string()
  .regex(/^org_[0-9a-z]+$/, { error: 'an org id looks like org_<lowercase letters/digits>' });

export const platformConfigSchema = z.object({
  /** Public base URL of the web app (Vercel): runners report events and results there. */
  apiUrl: z.url().default(PLACEHOLDERS.apiUrl),
  /** The model endpoint runners may reach through the egress proxy. */
  modelBaseUrl: z.url().default('https://api.anthropic.com'),
  /** Import an existing VPC instead of creating one (needs an explicit env for the lookup). */
  vpcId: z.string().startsWith('vpc-').optional(),
  /** An external Postgres: a Secrets Manager secret holding DATABASE_URL; skips RDS. */
  databaseUrlSecretArn: z.string().startsWith('arn:').optional(),
  /** Runner tasks only get a public IP if they run in public subnets without a NAT. */
  runnerPublicIp: z.boolean().default(false),
  /** Image tag of both repositories to run (tags are immutable: deploy a new tag to roll). */
  imageTag: z.string().min(1).default('latest-build'),
  logRetentionDays: z
    .union([z.literal(7), z.literal(14), z.literal(30), z.literal(90), z.literal(365)])
    .default(30),
  runner: z
    .object({ cpu: z.number().int().default(1024), memoryMiB: z.number().int().default(2048) })
    .default({
      cpu: 1024,
      memoryMiB: 2048,
    }),
  dbMultiAz: z.boolean().default(false),
  /**
   * Orgs that may run agents: each gets its own runner task definitions (workspace isolation on
   * EFS) and optionally a warm pool (docs/deploy.md, "Onboarding an org"). An org not listed has
   * no runner: its runs are refused. There is no shared runner.
   */
  orgs: z
    .array(
      z.object({
        id: orgId,
        warmPoolSize: z.number().int().min(0).max(50).default(0),
      }),
    )
    .default([]),
  /**
   * Auth0's token endpoint (https://<tenant>/oauth/token): the orchestrator's and warm runners'
   * M2M clients get their client-credentials tokens there.
   */
  tokenUrl: z
    .url({ error: 'tokenUrl must be the Auth0 token endpoint, https://<tenant>/oauth/token' })
    .default(PLACEHOLDERS.tokenUrl),
  /**
   * Orgs that may use the deployment's own Anthropic key and GitHub token when they saved none
   * (OMAKASE_FALLBACK_CREDENTIAL_ORGS); every other org must save its own.
   */
  fallbackCredentialOrgs: z.array(orgId).default([]),
  /** TCP port of the egress proxy runners reach the internet through. */
  egressProxyPort: z.number().int().min(1024).max(65535).default(3128),
});

export type PlatformConfig = z.output<typeof platformConfigSchema>;
