/**
 * A project's commands, per-role limits and runner resources: what is stored, the defaults that
 * fill what is not (rows written before a setting existed read back with its default), how a
 * partial update merges in, and the effective values a run gets.
 */
import { AGENT_ROLES, type AgentRole, type RunRole } from './entities';

export const PROJECT_COMMANDS = ['setup', 'test', 'lint', 'typecheck', 'build'] as const;
export type ProjectCommandName = (typeof PROJECT_COMMANDS)[number];
/** Commands by name; an absent name is unset. */
export type ProjectCommands = Partial<Record<ProjectCommandName, string>>;

/** One agent role's session limits. */
export interface RoleLimits {
  /** The model id for the SDK; absent: the runner's (Claude Code's) default model. */
  model?: string;
  maxTurns: number;
  /** The whole run, after which the runner aborts the session (`timeout`). */
  wallClockMs: number;
  /** One shell command (Claude Code's Bash tool; its own default is 2 minutes). */
  shellTimeoutMs: number;
}
/** The setup stage runs commands, not a model: only its time limits apply. */
export type SetupLimits = Pick<RoleLimits, 'wallClockMs' | 'shellTimeoutMs'>;
export type ProjectRoleLimits = Record<AgentRole, RoleLimits> & { setup: SetupLimits };
export const LIMITED_ROLES = [...AGENT_ROLES, 'setup'] as const;

/** Fargate sizes (task-level cpu units and memory); the local driver ignores them. */
export interface RunnerResources {
  cpu: number;
  memoryMiB: number;
}

export const ROLE_LIMIT_BOUNDS = {
  maxTurns: { min: 1, max: 500 },
  wallClockMs: { min: 60_000, max: 110 * 60_000 }, // below the run token's 2 h lifetime
  shellTimeoutMs: { min: 10_000, max: 110 * 60_000 },
} as const;

const MINUTE = 60_000;
export const DEFAULT_ROLE_LIMITS: ProjectRoleLimits = {
  architect: { maxTurns: 60, wallClockMs: 30 * MINUTE, shellTimeoutMs: 10 * MINUTE },
  coder: { maxTurns: 60, wallClockMs: 30 * MINUTE, shellTimeoutMs: 10 * MINUTE },
  reviewer: { maxTurns: 60, wallClockMs: 30 * MINUTE, shellTimeoutMs: 10 * MINUTE },
  tester: { maxTurns: 60, wallClockMs: 30 * MINUTE, shellTimeoutMs: 10 * MINUTE },
  setup: { wallClockMs: 20 * MINUTE, shellTimeoutMs: 20 * MINUTE },
};

/** The runner task definition's own size (infra/src/config.ts `runner`). */
export const DEFAULT_RUNNER_RESOURCES: RunnerResources = { cpu: 1024, memoryMiB: 2048 };

/**
 * What Fargate accepts (Linux): memory per cpu size, in MiB — [min, max, step].
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
 */
export const FARGATE_SIZES: Record<number, [number, number, number]> = {
  256: [1024, 2048, 1024], // and 512
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** Why Fargate would refuse this size, or null. */
export function fargateSizeProblem({ cpu, memoryMiB }: RunnerResources): string | null {
  const range = FARGATE_SIZES[cpu];
  if (!range) return `cpu must be one of ${Object.keys(FARGATE_SIZES).join(', ')}`;
  const [min, max, step] = range;
  if (cpu === 256 && memoryMiB === 512) return null;
  if (memoryMiB < min || memoryMiB > max || (memoryMiB - min) % step !== 0)
    return `with cpu ${cpu}, memoryMiB must be ${cpu === 256 ? '512 or ' : ''}${min}–${max} in steps of ${step}`;
  return null;
}

/** A partial update: `null` clears a command or a role's model (back to detected/default). */
export interface ProjectSettingsPatchFields {
  commands?: Partial<Record<ProjectCommandName, string | null>>;
  roles?: Partial<
    Record<AgentRole, Partial<Omit<RoleLimits, 'model'>> & { model?: string | null }> & {
      setup: Partial<SetupLimits>;
    }
  >;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges a partial update into the stored settings (raw, as in the row): top-level values are
 * replaced (lists and `runner` whole), `commands` per name and `roles` per role and field, a
 * `null` removing the stored value. Defaults are not written, so they stay live.
 */
export function mergeSettingsPatch(stored: unknown, patch: object): Json {
  const merged: Json = { ...(isObject(stored) ? stored : {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'commands' && isObject(value)) merged.commands = mergeLevel(merged.commands, value);
    else if (key === 'roles' && isObject(value)) {
      const roles: Json = { ...(isObject(merged.roles) ? merged.roles : {}) };
      for (const [role, limits] of Object.entries(value))
        if (isObject(limits)) roles[role] = mergeLevel(roles[role], limits);
      merged.roles = roles;
    } else merged[key] = value;
  }
  return merged;
}

function mergeLevel(stored: unknown, patch: Json): Json {
  const next: Json = { ...(isObject(stored) ? stored : {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next;
}

/** Each role's limits with the defaults under what is stored (field by field). */
export function roleLimitsWithDefaults(stored: unknown): ProjectRoleLimits {
  const roles = isObject(stored) ? stored : {};
  const out = {} as ProjectRoleLimits;
  for (const role of LIMITED_ROLES) {
    const own = isObject(roles[role]) ? roles[role] : {};
    (out as Record<string, unknown>)[role] = { ...DEFAULT_ROLE_LIMITS[role], ...own };
  }
  return out;
}

/** What a run of `role` gets. */
export function limitsFor(roles: ProjectRoleLimits, role: RunRole): RoleLimits {
  // The setup run has no model and no turns: one command, under its own time limits.
  if (role === 'setup') return { maxTurns: 1, ...roles.setup };
  const { model, maxTurns, wallClockMs, shellTimeoutMs } = roles[role];
  return { ...(model ? { model } : {}), maxTurns, wallClockMs, shellTimeoutMs };
}
