/** Deployment knobs for the platform stack; every one has a safe default. */
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
  /** Warm runner tasks per org (see docs/deploy.md, pre-warming). Zero by default. */
  warmPoolSize: z.number().int().min(0).max(50).default(0),
});

export type PlatformConfig = z.output<typeof platformConfigSchema>;
