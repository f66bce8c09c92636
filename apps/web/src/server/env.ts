/**
 * The web app's environment, parsed once on first use (never at import time, so `next build`
 * needs none of it).
 */
import {
  type Auth0ManagementSettings,
  auth0ManagementSettings,
  EnvError,
  envVars,
  parseEnv,
} from '@omakase/config';
import { z } from 'zod';
import { parseTrustedProxies } from './security/client-address';

/**
 * The log's settings: parsed on their own when the logger module loads (they have defaults, so
 * `next build` needs none of them), and with the rest by `env()`.
 */
export const logShape = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Send the log to this file instead of stdout (tests search it for planted secrets). */
  OMAKASE_LOG_FILE: z.string().min(1).optional(),
};

/** Every variable the web reads (the devstack checks the settings it passes through against it). */
export const webEnvShape = {
  ...logShape,
  /** Set by Next itself: `development` under `next dev` (the CSP then allows its eval-based reload). */
  NODE_ENV: z.string().default('production'),
  DATABASE_URL: z.string().min(1),
  AUTH0_DOMAIN: z.string().min(1),
  AUTH0_CLIENT_ID: z.string().min(1),
  AUTH0_CLIENT_SECRET: z.string().min(1),
  AUTH0_SECRET: z.string().min(32, 'must be at least 32 characters'),
  APP_BASE_URL: z.url(),
  AUTH0_AUDIENCE: z.string().min(1).default('omakase-api'),
  OMAKASE_CLAIMS_NAMESPACE: z.string().min(1).default('https://omakase.dev'),
  /** Local issuer over plain http only; never set against a real Auth0 tenant. */
  AUTH0_ISSUER_INSECURE: envVars.bool(false),
  /** Set by `npm start` without ANTHROPIC_API_KEY: agents play the scripted model; the UI says so. */
  OMAKASE_DEMO_MODE: envVars.bool(false),
  /** Byte cap for JSON request bodies. */
  API_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /**
   * The key run tokens are signed and verified with (`runs/{id}/token` mints them for the
   * orchestrator, the warm claim for a warm runner); unset → those endpoints answer 503.
   */
  RUN_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The default limit of agents running at once per organisation (a project may set its own). */
  ORG_MAX_CONCURRENT_AGENTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** 32 bytes, base64: wraps each organisation's data key (secrets at rest). */
  OMAKASE_MASTER_KEY: z.string().min(1).optional(),
  /**
   * The deployment's own Anthropic key, served by `GET /runs/{id}/credentials` only to runs of the
   * orgs in OMAKASE_FALLBACK_CREDENTIAL_ORGS that saved none (unset → no org gets it).
   */
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  OMAKASE_FALLBACK_CREDENTIAL_ORGS: envVars.list(),
  /** Token bucket per organisation (and per client IP before authentication), in this process. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Run events a runner (or whoever holds its run token) may post: a token bucket per run in this
   * process (rate and burst, in events), and per batch, per event and per run totals. The totals
   * are counted on the run's row, so they hold across web processes (runner-event-limits.ts).
   */
  RUN_EVENTS_PER_SECOND: z.coerce.number().positive().default(50),
  RUN_EVENTS_BURST: z.coerce.number().int().positive().default(500),
  RUN_EVENT_BATCH_MAX: z.coerce.number().int().positive().max(500).default(200),
  RUN_EVENT_BATCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  RUN_EVENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  RUN_EVENTS_MAX_PER_RUN: z.coerce.number().int().min(2).default(20_000),
  RUN_EVENT_BYTES_MAX_PER_RUN: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /** Live streams (SSE): open at once per user in this process, lifetime, re-authorisation backstop. */
  STREAM_MAX_PER_USER: z.coerce.number().int().positive().default(10),
  STREAM_MAX_LIFETIME_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  STREAM_REAUTHORIZE_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Reverse proxies (comma-separated IPs/CIDRs) whose `X-Forwarded-For` is believed; unset → the
   * header is ignored and the socket peer is the client (security/client-address.ts).
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * Org ids (comma-separated) whose projects may use local file:// repositories, each only inside
   * `<OMAKASE_DATA_DIR>/repos/<orgId>/` (the local demo; `npm start` sets both); unset → none.
   */
  OMAKASE_LOCAL_REPOSITORY_ORGS: envVars.list(),
  OMAKASE_DATA_DIR: z.string().min(1).optional(),
  /** ssh:// and git@host:path remotes (the orchestrator clones them with its host's ssh identity). */
  OMAKASE_ALLOW_SSH_REPOSITORIES: envVars.bool(false),
};

export type WebEnv = z.infer<z.ZodObject<typeof webEnvShape>> & {
  /** The Auth0 Management API client (AUTH0_MANAGEMENT_*, AUTH0_ROLE_IDS); null when not configured. */
  auth0Management: Auth0ManagementSettings | null;
};

let cached: WebEnv | undefined;

export function env(): WebEnv {
  if (!cached) {
    const parsed = parseEnv(webEnvShape);
    // Half a Management API configuration fails here, with the rest, not at the first member change.
    const auth0Management = auth0ManagementSettings(process.env, parsed.AUTH0_DOMAIN);
    if (parsed.OMAKASE_LOCAL_REPOSITORY_ORGS.length > 0 && !parsed.OMAKASE_DATA_DIR) {
      throw new EnvError([
        { variable: 'OMAKASE_DATA_DIR', message: 'required with OMAKASE_LOCAL_REPOSITORY_ORGS' },
      ]);
    }
    cached = { ...parsed, auth0Management };
  }
  return cached;
}

/** The issuer URL as the SDK and token verification want it (`http://localhost:4000`, `https://x.auth0.com`). */
export function issuerUrl(): string {
  const domain = env().AUTH0_DOMAIN;
  return /^https?:\/\//.test(domain) ? domain.replace(/\/+$/, '') : `https://${domain}`;
}
