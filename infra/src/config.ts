/** Deployment knobs for the platform stack; all but `tokenUrl` have a default. */
import { z } from 'zod';

export const platformConfigSchema = z.object({
  /** Public base URL of the web app (Vercel): runners report events and results there. */
  apiUrl: z.url().default('https://omakase.example.com'),
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
   * Orgs with their own runner task definitions (workspace isolation on EFS) and optional warm
   * pools (see docs/deploy.md). When set, every org that runs agents must be listed.
   */
  orgs: z
    .array(
      z.object({
        id: z.string().regex(/^org_[0-9a-z]+$/),
        warmPoolSize: z.number().int().min(0).max(50).default(0),
      }),
    )
    .default([]),
  /**
   * Auth0's token endpoint (https://<tenant>/oauth/token): the orchestrator's and warm runners'
   * M2M clients get their client-credentials tokens there.
   */
  tokenUrl: z.url({ error: 'tokenUrl must be the Auth0 token endpoint, https://<tenant>/oauth/token' }),
});

export type PlatformConfig = z.output<typeof platformConfigSchema>;
