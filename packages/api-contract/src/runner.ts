import { AGENT_ROLES, type AgentRole, REVIEW_VERDICTS, RUN_EVENT_TYPES, RUN_ROLES } from '@omakase/domain';
import { z } from 'zod';

/**
 * The wire contract between an agent runner and the platform API (the runner and the web's
 * runner endpoints both import it from here).
 *
 *   GET  /api/v1/runs/{runId}/spec    → RunSpec
 *   POST /api/v1/runs/{runId}/events  ← EventBatch   (ordered; `seq` lets the API drop retried duplicates)
 *   POST /api/v1/runs/{runId}/result  ← RunResult
 * All with `Authorization: Bearer <run token>`.
 *
 * The verdict schemas here (plan, review, test report, setup output, platform verdict, baseline)
 * are the only definitions: the runner's submit tools check the model against them, the engine
 * turns a recorded output into a pipeline event with them and the web shows them.
 */
export const agentRoleSchema = z.enum(AGENT_ROLES);
export type { AgentRole };
/** A run is one of the agents, or `setup` (the project's setup command, no model). */
export const runRoleSchema = z.enum(RUN_ROLES);
export type RunRole = z.infer<typeof runRoleSchema>;

/** The architect's output. */
export const planSchema = z.object({
  summary: z.string().min(1),
  files: z.array(z.string()),
  steps: z.array(z.string()).min(1),
  risks: z.array(z.string()),
});
export type Plan = z.infer<typeof planSchema>;

export { REVIEW_VERDICTS };
export const reviewCommentSchema = z.object({
  file: z.string().min(1),
  line: z.number().int().positive().optional(),
  body: z.string().min(1),
});
/** The reviewer's output. */
export const reviewSchema = z.object({
  verdict: z.enum(REVIEW_VERDICTS),
  comments: z.array(reviewCommentSchema),
});
export type Review = z.infer<typeof reviewSchema>;

/** The tester model's own report (a tester run's output also carries the platform's verdict). */
export const testReportSchema = z.object({
  passed: z.boolean(),
  total: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failures: z.array(z.object({ name: z.string(), message: z.string() })),
});
export type TestReport = z.infer<typeof testReportSchema>;

/** What the orchestrator hands a run: the earlier stages' outputs it must build on. */
export const runInputSchema = z.looseObject({
  plan: planSchema.optional(),
  review: reviewSchema.optional(),
  testReport: testReportSchema.optional(),
  humanAnswer: z.string().optional(),
});
export type RunInput = z.infer<typeof runInputSchema>;

/** The project's effective commands (user-set, else detected); an absent name has none. */
export const runCommandsSchema = z.object({
  setup: z.string().min(1).optional(),
  test: z.string().min(1).optional(),
  lint: z.string().min(1).optional(),
  typecheck: z.string().min(1).optional(),
  build: z.string().min(1).optional(),
});
export type RunCommands = z.infer<typeof runCommandsSchema>;

/** The run's role limits (project settings `roles.<role>`). */
export const runLimitsSchema = z.object({
  /** The SDK's model; absent: Claude Code's default. */
  model: z.string().min(1).optional(),
  maxTurns: z.number().int().positive(),
  /** Abort timer of the whole run. */
  wallClockMs: z.number().int().positive(),
  /** Claude Code's Bash tool timeout (BASH_DEFAULT_TIMEOUT_MS / BASH_MAX_TIMEOUT_MS). */
  shellTimeoutMs: z.number().int().positive(),
});
export type RunLimits = z.infer<typeof runLimitsSchema>;

const commitSchema = z.string().regex(/^[0-9a-f]{40,64}$/, 'must be a full commit id');

/** How a test command's results were read: per test (JUnit XML, TAP) or by its exit code alone. */
export const TEST_RESULT_FORMATS = ['junit', 'tap', 'exit_code'] as const;
export type TestResultFormat = (typeof TEST_RESULT_FORMATS)[number];

/** The test command on a base commit, summarised (apps/agent-runner/src/test-verdict). */
export const baselineSummarySchema = z.object({
  baseCommit: commitSchema,
  command: z.string().min(1),
  exitCode: z.number().int().nullable(),
  /** Ids of the tests that failed there (empty when only the exit code is known). */
  failing: z.array(z.string().max(1000)).max(10_000),
  format: z.enum(TEST_RESULT_FORMATS),
});
export type BaselineSummary = z.infer<typeof baselineSummarySchema>;

/**
 * What the platform's own test run decided (a tester run's `output.platformVerdict`,
 * apps/agent-runner/src/test-verdict): the pipeline follows it; the model's report is only cross-checked.
 */
export const platformVerdictSchema = z.object({
  passed: z.boolean(),
  format: z.enum(TEST_RESULT_FORMATS),
  exitCode: z.number().int().nullable(),
  /** Per-test formats: tests seen on head, skipped included; 0 for exit_code. */
  total: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  newFailures: z.array(z.object({ id: z.string(), message: z.string().optional() })),
  preExisting: z.array(z.string()),
  flaky: z.array(z.string()),
  /** The command failed as a whole on the base commit too. */
  preExistingSuiteFailure: z.boolean().optional(),
  /** The command failed as a whole on head and succeeded on the rerun. */
  flakySuite: z.boolean().optional(),
  timedOut: z.boolean(),
  /** Why a failed verdict failed, in a sentence (absent when passed). */
  reason: z.string().optional(),
  outputTail: z.string(),
});
export type PlatformVerdict = z.infer<typeof platformVerdictSchema>;

/** A setup run's output (`RunResult.output` of role `setup`). */
export const setupOutputSchema = z.object({
  /** The setup command's result; null when the environment came from the cache or there is no command. */
  setup: z
    .object({
      command: z.string(),
      exitCode: z.number().int().nullable(),
      timedOut: z.boolean(),
      durationMs: z.number().int().nonnegative(),
      logTail: z.string().max(16_384),
    })
    .nullable(),
  environment: z
    .object({
      key: z.string().min(1),
      /** Copied from the project's cache instead of installed. */
      restored: z.boolean(),
      /** Left in the run's staging directory for the platform to keep as the cache entry. */
      saved: z.boolean(),
      paths: z.array(z.string()),
      ms: z.number().int().nonnegative(),
    })
    .nullable(),
  baseline: baselineSummarySchema.nullable(),
});
export type SetupOutput = z.infer<typeof setupOutputSchema>;

const roundSchema = z.object({ number: z.number().int().positive(), max: z.number().int().positive() });
/** What the platform knows of the feature's history that the role should see (all optional). */
export const runContextSchema = z.object({
  /** The coder's own closing summary (its last result text), for the reviewer and the tester. */
  coderSummary: z.string().optional(),
  reviewRound: roundSchema.optional(),
  testRound: roundSchema.optional(),
  /** For a retried run (attempt > 1): why the previous attempt of this stage ended. */
  retry: z.object({ previousExitReason: z.string().min(1) }).optional(),
});
export type RunContext = z.infer<typeof runContextSchema>;

export const runSpecSchema = z.object({
  run: z.object({
    id: z.string().min(1),
    role: runRoleSchema,
    attempt: z.number().int().positive(),
    input: runInputSchema,
  }),
  feature: z.object({
    key: z.string().min(1),
    title: z.string().min(1),
    description: z.string(),
    acceptanceCriteria: z.array(z.string()),
  }),
  project: z.object({
    repositoryUrl: z.string().min(1),
    defaultBranch: z.string().min(1),
    commandAllowlist: z.array(z.string()),
    testCommand: z.string().min(1).optional(),
    budgetUsd: z.number().positive().optional(),
    /** Always sent by the API; optional only for specs written before it existed. */
    commands: runCommandsSchema.optional(),
  }),
  workspace: z.object({
    branch: z.string().min(1),
    /** The commit the branch forked from (absent for runs launched before it was recorded). */
    baseCommit: commitSchema.optional(),
  }),
  /**
   * Tester runs: the test command's result on `workspace.baseCommit`, as a setup run recorded it
   * before any agent ran (absent: no baseline is known, so every failure on head counts as new).
   */
  baseline: baselineSummarySchema.optional(),
  /** Always sent by the API; a spec without it runs with the runner's defaults. */
  limits: runLimitsSchema.optional(),
  /** Always sent by the API; optional only for specs written before it existed. */
  context: runContextSchema.optional(),
});
export type RunSpec = z.infer<typeof runSpecSchema>;
/** The spec of one of the agents (not a setup run). */
export type AgentRunSpec = RunSpec & { run: RunSpec['run'] & { role: AgentRole } };
export const isAgentRunSpec = (spec: RunSpec): spec is AgentRunSpec => spec.run.role !== 'setup';

export const runEventSchema = z.object({
  /** 1-based, gap-free per run process: the API ignores a seq it already stored. */
  seq: z.number().int().positive(),
  type: z.enum(RUN_EVENT_TYPES),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime(),
});
export type RunnerEvent = z.infer<typeof runEventSchema>;
export const eventBatchSchema = z.object({ events: z.array(runEventSchema).min(1).max(500) });

export const RUN_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const;
export const EXIT_REASONS = [
  'submitted',
  'completed',
  'no_verdict',
  'no_changes',
  'agent_error',
  'budget_exceeded',
  'max_turns',
  'timeout',
  'cancelled',
  'workspace_error',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

const tokens = z.number().int().nonnegative();
/** One model's share of a run, as the SDK reports it (`modelUsage`); cache reads and writes apart. */
export const modelUsageSchema = z.object({
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadInputTokens: tokens,
  cacheCreationInputTokens: tokens,
  costUsd: z.number().nonnegative(),
});
export type ModelUsage = z.infer<typeof modelUsageSchema>;
export const usageByModelSchema = z.record(z.string().min(1).max(200), modelUsageSchema);

export const runResultSchema = z.object({
  outcome: z.enum(RUN_OUTCOMES),
  output: z.record(z.string(), z.unknown()).nullable(),
  usage: z.object({
    tokensIn: tokens,
    tokensOut: tokens,
    costUsd: z.number().nonnegative(),
    durationMs: tokens,
    /** Per model; `tokensIn` includes the cache reads and writes. */
    byModel: usageByModelSchema.optional(),
  }),
  exitReason: z.enum(EXIT_REASONS),
  /** Human-readable detail for failures; redacted. */
  message: z.string().optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/**
 * The org's own credentials a run needs, fetched with the run token by runners whose host cannot
 * receive them as process environment (ECS: task overrides are visible in DescribeTasks and
 * CloudTrail). `null`: the org saved none, so the deployment's key applies.
 */
export const runCredentialsSchema = z.object({ anthropicApiKey: z.string().min(1).nullable() });
export type RunCredentials = z.infer<typeof runCredentialsSchema>;

/**
 * Warm runners (M2M token with the `runs:claim` permission, for its own org only):
 *   POST /api/v1/runner/claim  ← ClaimRequest → 200 ClaimedRun | 204 (nothing yet: poll again)
 * The answer hands over exactly one run with a fresh run token; from then on the runner talks
 * to the run endpoints above like a cold one.
 */
export const claimRequestSchema = z.object({
  warmId: z.string().regex(/^warm_[0-9a-z]{26}$/, 'must be a warm runner id (warm_…)'),
  /** How long the API may hold the request open (it caps this at 25 s). */
  waitMs: z.number().int().min(0).max(25_000).default(20_000),
});
export type ClaimRequest = z.infer<typeof claimRequestSchema>;

export const claimedRunSchema = z.object({
  runId: z.string().regex(/^run_[0-9a-z]+$/),
  runToken: z.string().min(16),
  /** Plain runner configuration (WORKSPACE_DIR, OMAKASE_ROLE, budget, model URL); no secrets. */
  env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()),
});
export type ClaimedRun = z.infer<typeof claimedRunSchema>;

/**
 * The orchestrator (M2M token with the `runs:mint` permission; platform-wide, no org claim):
 *   POST /api/v1/runs/{runId}/token  ← MintRunTokenRequest → 200 MintedRunToken | 409 (run ended)
 * Only the API holds the run-token signing key; the orchestrator asks it for each launch.
 */
export const mintRunTokenRequestSchema = z.object({
  /** The run's organisation: the run is looked up under it, so a wrong pair is a 404. */
  orgId: z.string().regex(/^org_[0-9a-z]{26}$/, 'must be an organisation id (org_…)'),
});
export type MintRunTokenRequest = z.infer<typeof mintRunTokenRequestSchema>;

export const mintedRunTokenSchema = z.object({
  runToken: z.string().min(16),
  expiresAt: z.iso.datetime(),
});
export type MintedRunToken = z.infer<typeof mintedRunTokenSchema>;
