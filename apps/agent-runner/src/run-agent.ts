import { type HookCallback, type Options, query, type SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import type { ExitReason, RunResult, AgentRunSpec as RunSpec } from '@omakase/api-contract';
import type { Logger } from 'pino';
import { type AgentIsolation, isolatedSpawner, isolationEnv } from './agent-isolation';
import type { EventSink } from './event-sink';
import { hostVariables } from './host-env';
import { emitForMessage } from './message-events';
import { buildPrompt, loadRoleInstructions, type WorkspaceFacts } from './prompt';
import type { Redactor } from './redact';
import { readRepoInstructions } from './repo-instructions';
import { platformReport, testerVerdict } from './tester-verdict';
import { decideToolUse, type PolicyContext, ROLE_BUILTIN_TOOLS, roleSubmitTool } from './tool-policy';
import { UsageAccumulator, type UsageTotals } from './usage-accumulator';
import { createVerdictServer, type VerdictBox } from './verdict-tools';
import { branchCommits, commitAll, diffStat, prepareWorkspace } from './workspace';

export interface RunAgentOptions {
  spec: RunSpec;
  workspace: string;
  sink: EventSink;
  redactor: Redactor;
  /** Aborting it stops the session (SIGTERM, timeout); `reason` becomes the exit reason. */
  signal: AbortSignal;
  anthropic: { baseUrl?: string; apiKey?: string };
  logger: Logger;
  /** How Claude Code is kept away from this process (verified by the caller before the run). */
  isolation: AgentIsolation;
}

const ZERO_USAGE: UsageTotals = { tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0, byModel: {} };
const CODER_SUMMARY_MAX_CHARS = 8000;
/** A usage snapshot event every this many model messages: what counts if the runner dies hard. */
export const USAGE_SNAPSHOT_EVERY = 5;

/** Runs one role's session in the workspace and returns the result to report. */
export async function runAgent(opts: RunAgentOptions): Promise<RunResult> {
  const { spec, workspace, sink, redactor } = opts;
  const role = spec.run.role;
  const startedAt = Date.now();
  const finish = (
    outcome: RunResult['outcome'],
    exitReason: ExitReason,
    output: RunResult['output'],
    usage: UsageTotals,
    message?: string,
  ): RunResult => ({
    outcome,
    exitReason,
    output,
    usage: { ...usage, durationMs: Math.max(usage.durationMs, Date.now() - startedAt) },
    ...(message ? { message: redactor.redactString(message) } : {}),
  });

  const facts: WorkspaceFacts = { diffStat: null };
  try {
    await prepareWorkspace({
      dir: workspace,
      repositoryUrl: spec.project.repositoryUrl,
      defaultBranch: spec.project.defaultBranch,
      branch: spec.workspace.branch,
    });
    const base = spec.project.defaultBranch;
    const retry = spec.run.attempt > 1;
    if (role === 'reviewer' || role === 'tester' || retry) facts.diffStat = await diffStat(workspace, base);
    if (retry) facts.commits = await branchCommits(workspace, base);
    facts.instructions = await readRepoInstructions(workspace);
  } catch (error) {
    sink.emit('error', { kind: 'workspace_error', message: redactor.redactString((error as Error).message) });
    return finish('failed', 'workspace_error', null, ZERO_USAGE, (error as Error).message);
  }

  const verdict: VerdictBox = { value: null };
  // The policy expands `~` and `$HOME` in paths as the agent's shell would: with the agent's HOME.
  const policy: PolicyContext = {
    role,
    workspace,
    project: spec.project,
    env: { HOME: sessionEnv(opts).HOME },
  };
  const abort = new AbortController();
  const onAbort = () => abort.abort(opts.signal.reason);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  const spent = new UsageAccumulator();
  let sinceSnapshot = 0;
  let sessionError: string | null = null;
  /** The agent's own closing summary: the coder's goes to the reviewer and the tester (run context). */
  let closingText = '';

  try {
    const options = await sessionOptions(opts, policy, verdict, abort);
    const prompt = buildPrompt(spec, workspace, facts);
    const session = (async () => {
      for await (const message of query({ prompt: singleMessage(prompt), options })) {
        emitForMessage(message, (type, payload) => sink.emit(type, payload), {
          workspace,
          redactor,
          submitTool: roleSubmitTool(role),
        });
        if (spent.add(message)) sinceSnapshot++;
        if (message.type === 'result' || sinceSnapshot >= USAGE_SNAPSHOT_EVERY) {
          sinceSnapshot = 0;
          sink.emit('usage', {
            ...spent.totals(),
            final: message.type === 'result',
            ...(message.type === 'result'
              ? { numTurns: message.num_turns, durationApiMs: message.duration_api_ms }
              : {}),
          });
        }
        if (message.type === 'result' && message.subtype !== 'success') sessionError = message.subtype;
        if (message.type === 'result' && message.subtype === 'success') closingText = message.result;
      }
    })();
    // A stop must not wait for Claude Code's own shutdown: the abort has already killed it.
    await Promise.race([session, aborted(opts.signal)]);
    session.catch(() => {});
  } catch (error) {
    if (!opts.signal.aborted) {
      // Claude Code exits non-zero after an error result (e.g. over budget): keep the result's reason.
      sessionError ??= (error as Error).message;
      sink.emit('error', { kind: 'agent_error', message: redactor.redactString(sessionError) });
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
  }

  // Whatever ended the session (result, abort, crash), this is what it spent.
  const usage = spent.totals();
  if (opts.signal.aborted) {
    const reason: ExitReason = opts.signal.reason === 'timeout' ? 'timeout' : 'cancelled';
    return finish(reason === 'timeout' ? 'failed' : 'cancelled', reason, verdict.value, usage);
  }
  if (sessionError === 'error_max_budget_usd')
    return finish('failed', 'budget_exceeded', verdict.value, usage);
  if (sessionError === 'error_max_turns') return finish('failed', 'max_turns', verdict.value, usage);
  if (sessionError && !verdict.value) return finish('failed', 'agent_error', null, usage, sessionError);

  if (role !== 'coder') {
    if (!verdict.value) {
      sink.emit('error', {
        kind: 'no_verdict',
        message: `The ${role} ended without a valid ${roleSubmitTool(role)} call`,
      });
      return finish(
        'failed',
        'no_verdict',
        null,
        usage,
        `The ${role} ended without submitting a valid verdict`,
      );
    }
    if (role === 'tester') {
      const checked = await platformChecked(opts, verdict.value);
      if (!checked.ok) return finish('failed', 'workspace_error', verdict.value, usage, checked.message);
      return finish('succeeded', 'submitted', checked.output, usage);
    }
    return finish('succeeded', 'submitted', verdict.value, usage);
  }

  const title = spec.feature.title.replace(/\s+/g, ' ').trim();
  const commit = await commitAll(
    workspace,
    `${spec.feature.key}: ${title} (coder, attempt ${spec.run.attempt})`,
  ).catch((error: Error) => {
    sink.emit('error', { kind: 'workspace_error', message: redactor.redactString(error.message) });
    return undefined;
  });
  if (commit === undefined) return finish('failed', 'workspace_error', null, usage);
  if (commit === null) return finish('failed', 'no_changes', null, usage, 'The coder made no changes');
  sink.emit('file_edit', {
    kind: 'commit',
    sha: commit.sha,
    files: commit.files,
    branch: spec.workspace.branch,
  });
  return finish(
    'succeeded',
    'completed',
    {
      commit: commit.sha,
      branch: spec.workspace.branch,
      files: commit.files,
      summary: redactor.redactString(closingText.slice(0, CODER_SUMMARY_MAX_CHARS)),
    },
    usage,
  );
}

/** The platform's own test run decides the tester's verdict; the model's report is cross-checked. */
async function platformChecked(
  opts: RunAgentOptions,
  report: Record<string, unknown>,
): Promise<{ ok: true; output: Record<string, unknown> } | { ok: false; message: string }> {
  const modelReport =
    typeof report.passed === 'boolean'
      ? { passed: report.passed, total: Number(report.total ?? 0), failed: Number(report.failed ?? 0) }
      : null;
  try {
    const checked = await testerVerdict({ ...opts, modelReport });
    if (!checked) return { ok: true, output: report };
    // The report others read (the coder, Linear, the board) is the platform's; the model's is kept.
    return {
      ok: true,
      output: {
        ...report,
        ...platformReport(checked.platformVerdict, report),
        modelReport: report,
        ...checked,
      },
    };
  } catch (error) {
    // Never fall back to the model's word: no platform run, no verdict.
    const message = `the platform's test run failed to run: ${(error as Error).message}`;
    opts.sink.emit('error', { kind: 'platform_tests_error', message: opts.redactor.redactString(message) });
    return { ok: false, message };
  }
}

async function sessionOptions(
  opts: RunAgentOptions,
  policy: PolicyContext,
  verdict: VerdictBox,
  abort: AbortController,
): Promise<Options> {
  const { role } = policy;
  const server = createVerdictServer(role, verdict, (value) =>
    opts.sink.emit('verdict', { role, verdict: opts.redactor.redact(value) }),
  );
  const submit = roleSubmitTool(role);
  const denied = (toolName: string, reason: string) =>
    opts.sink.emit('error', {
      kind: 'permission_denied',
      tool: toolName,
      reason: opts.redactor.redactString(reason),
    });

  // The hook runs for every call, even those the CLI would auto-approve (reads inside cwd).
  const policyHook: HookCallback = async (input) => {
    if (input.hook_event_name !== 'PreToolUse') return {};
    const decision = decideToolUse(
      policy,
      input.tool_name,
      (input.tool_input ?? {}) as Record<string, unknown>,
    );
    if (decision.allow) return {};
    denied(input.tool_name, decision.reason);
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: decision.reason,
      },
    };
  };

  const claudeStderr = (line: string) =>
    opts.logger.debug({ line: opts.redactor.redactString(line) }, 'claude code stderr');

  return {
    cwd: policy.workspace,
    abortController: abort,
    // No filesystem settings: the repository's .claude/settings*.json (hooks, commands, permissions)
    // and ~/.claude are never loaded; its CLAUDE.md / AGENTS.md reach the prompt as quoted text only.
    settingSources: [],
    persistSession: false,
    systemPrompt: { type: 'preset', preset: 'claude_code', append: await loadRoleInstructions(role) },
    tools: ROLE_BUILTIN_TOOLS[role],
    // Only the submit tool is pre-approved; every other call goes through canUseTool.
    allowedTools: submit ? [submit] : [],
    disallowedTools: ['WebFetch', 'WebSearch', 'Task', 'Agent', 'NotebookEdit', 'Skill'],
    permissionMode: 'default',
    canUseTool: async (toolName, input) => {
      const decision = decideToolUse(policy, toolName, input);
      if (decision.allow) return { behavior: 'allow', updatedInput: input };
      denied(toolName, decision.reason);
      return { behavior: 'deny', message: decision.reason };
    },
    hooks: { PreToolUse: [{ hooks: [policyHook] }] },
    ...(server ? { mcpServers: { omakase: server } } : {}),
    ...sessionLimits(opts.spec),
    ...(opts.spec.project.budgetUsd ? { maxBudgetUsd: opts.spec.project.budgetUsd } : {}),
    env: sessionEnv(opts),
    stderr: claudeStderr,
    // Our own spawn starts the bundled Claude Code, which reads MCP servers from the initialize request.
    mcpServersDelivery: 'initialize',
    ...(opts.isolation.mode === 'none'
      ? {}
      : { spawnClaudeCodeProcess: isolatedSpawner(opts.isolation, claudeStderr) }),
  };
}

/** Without limits in the spec (older specs, tests): the runner's own defaults. */
const DEFAULT_MAX_TURNS = 60;
const DEFAULT_SHELL_TIMEOUT_MS = 10 * 60_000;

/** The role's model (absent: Claude Code's default) and turn limit, from the project's settings. */
function sessionLimits(spec: RunSpec): Pick<Options, 'maxTurns' | 'model'> {
  const limits = spec.limits;
  return {
    maxTurns: limits?.maxTurns ?? DEFAULT_MAX_TURNS,
    ...(limits?.model ? { model: limits.model } : {}),
  };
}

/**
 * Claude Code's Bash tool kills a command after BASH_DEFAULT_TIMEOUT_MS (2 minutes unless set)
 * and lets the model ask for at most BASH_MAX_TIMEOUT_MS: both are the role's shell timeout, so a
 * long test suite runs to its end and no command outlives the limit.
 */
function shellTimeoutEnv(spec: RunSpec): Record<string, string> {
  const ms = String(spec.limits?.shellTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS);
  return { BASH_DEFAULT_TIMEOUT_MS: ms, BASH_MAX_TIMEOUT_MS: ms };
}

const sessionEnv = (opts: RunAgentOptions): Record<string, string> => ({
  ...agentEnv(opts.anthropic),
  ...shellTimeoutEnv(opts.spec),
  ...isolationEnv(opts.isolation),
});

/** The agent's whole environment: never the run token or anything else of the runner's. */
function agentEnv(anthropic: RunAgentOptions['anthropic']): Record<string, string> {
  return {
    ...hostVariables('PATH', 'HOME', 'LANG', 'TMPDIR'),
    // Set by the sandbox when the model endpoint is remote: its egress bridge's proxy port.
    ...hostVariables('HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'),
    ...(anthropic.baseUrl ? { ANTHROPIC_BASE_URL: anthropic.baseUrl } : {}),
    ...(anthropic.apiKey ? { ANTHROPIC_API_KEY: anthropic.apiKey } : {}),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ENABLE_TOOL_SEARCH: 'false',
    CI: 'true',
    // Output is read as text (logs, verdict parsing, the model): no colour codes.
    NO_COLOR: '1',
  };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

async function* singleMessage(text: string): AsyncIterable<SDKUserMessage> {
  yield { type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null };
}
