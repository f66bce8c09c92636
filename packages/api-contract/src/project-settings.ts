/**
 * Project settings on the wire: the full shape a project reads back with, and the partial shape
 * create/update accept (commands and roles merge per key, `null` clears; see `mergeSettingsPatch`).
 * Host checks here are syntax only (browser-safe); the server resolves names (net-policy).
 */
import {
  AGENT_ROLES,
  fargateSizeProblem,
  PROJECT_COMMANDS,
  type ProjectCommandName,
  ROLE_LIMIT_BOUNDS,
} from '@omakase/domain';
import { z } from 'zod';
import { singleLine } from './text';

/** One shell command line: what setup or the runner executes. */
export const ProjectCommandSchema = singleLine(
  z.string().trim().min(1, 'must not be empty (clear it with null to use the detected command)').max(500),
);

const commandFields = <T extends z.ZodType>(value: T) =>
  Object.fromEntries(PROJECT_COMMANDS.map((name) => [name, value])) as Record<ProjectCommandName, T>;

export const ProjectCommandsSchema = z.strictObject(commandFields(ProjectCommandSchema.optional()));
export const ProjectCommandsPatchSchema = z.strictObject(
  commandFields(ProjectCommandSchema.nullable().optional()),
);

/** A model id as the SDK takes it (`claude-sonnet-4-5`, a gateway's `provider/model:tag`). */
export const ModelIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'must be a model id (letters, digits and . _ : / @ -)');

const bounded = (bounds: { min: number; max: number }) => z.number().int().min(bounds.min).max(bounds.max);
const maxTurns = bounded(ROLE_LIMIT_BOUNDS.maxTurns);
const wallClockMs = bounded(ROLE_LIMIT_BOUNDS.wallClockMs);
const shellTimeoutMs = bounded(ROLE_LIMIT_BOUNDS.shellTimeoutMs);

export const RoleLimitsSchema = z.strictObject({
  model: ModelIdSchema.optional(),
  maxTurns,
  wallClockMs,
  shellTimeoutMs,
});
export const SetupLimitsSchema = z.strictObject({ wallClockMs, shellTimeoutMs });
const roleFields = <T extends z.ZodType>(value: T) =>
  Object.fromEntries(AGENT_ROLES.map((role) => [role, value])) as Record<(typeof AGENT_ROLES)[number], T>;

export const RolesSchema = z.strictObject({ ...roleFields(RoleLimitsSchema), setup: SetupLimitsSchema });
export const RolesPatchSchema = z.strictObject({
  ...roleFields(
    z
      .strictObject({
        model: ModelIdSchema.nullable().optional(),
        maxTurns: maxTurns.optional(),
        wallClockMs: wallClockMs.optional(),
        shellTimeoutMs: shellTimeoutMs.optional(),
      })
      .optional(),
  ),
  setup: SetupLimitsSchema.partial().optional(),
});

export const RunnerResourcesSchema = z
  .strictObject({ cpu: z.number().int(), memoryMiB: z.number().int() })
  .superRefine((value, ctx) => {
    const problem = fargateSizeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['memoryMiB'] });
  });

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Names that only ever mean this machine or its own network. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why `host` is not a public DNS name we accept, or null. Addresses are refused: name the host. */
export function hostNameProblem(host: string): string | null {
  if (IPV4.test(host) || host.includes(':') || host.startsWith('['))
    return 'must be a host name, not an IP address';
  if (host.length > 253 || !host.split('.').every((label) => HOST_LABEL.test(label)))
    return 'must be a lowercase DNS host name';
  if (!host.includes('.')) return 'must be a fully qualified host name (e.g. registry.example.com)';
  if (LOCAL_NAME.test(host)) return 'must not be a local or internal name';
  return null;
}

/** `host` or `host:port` (port 1–65535; 443 when absent). */
export const EgressHostSchema = z
  .string()
  .trim()
  .max(260)
  .superRefine((value, ctx) => {
    const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
    const port = match?.[2] === undefined ? 443 : Number(match[2]);
    const problem = !match
      ? 'must be host or host:port'
      : (hostNameProblem(match[1]!) ??
        (port < 1 || port > 65535 ? 'port must be between 1 and 65535' : null));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An https registry URL without credentials (tokens belong in the organisation's secrets). */
export const RegistryUrlSchema = z
  .string()
  .trim()
  .max(500)
  .superRefine((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    const problem = !url
      ? 'must be a URL'
      : url.protocol !== 'https:'
        ? 'must be an https:// URL'
        : url.username || url.password
          ? "must not contain credentials (save a token in the organisation's settings)"
          : hostNameProblem(url.hostname);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const flat = {
  maxConcurrentAgents: z.number().int().min(1).max(20),
  budgetPerFeatureUsd: z.number().min(0).max(1000),
  commandAllowlist: z.array(singleLine(z.string().trim().min(1).max(200))).max(50),
  /** A human approves (or sends back) each architect's plan before coding starts. */
  requirePlanApproval: z.boolean(),
  runner: RunnerResourcesSchema,
  egressAllowlist: z.array(EgressHostSchema).max(50),
  setupRegistries: z.array(RegistryUrlSchema).max(10),
};

export const ProjectSettingsSchema = z.strictObject({
  ...flat,
  commands: ProjectCommandsSchema,
  roles: RolesSchema,
});

export const ProjectSettingsPatchSchema = z
  .strictObject({ ...flat, commands: ProjectCommandsPatchSchema, roles: RolesPatchSchema })
  .partial();

export const DetectedCommandsDto = z.object({
  commands: z.strictObject(commandFields(z.object({ command: z.string(), source: z.string() }).optional())),
  baseCommit: z.string(),
  detectedAt: z.iso.datetime(),
});
export type DetectedCommandsDto = z.infer<typeof DetectedCommandsDto>;
