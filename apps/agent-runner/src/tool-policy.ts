import type { AgentRole, RunCommands, RunSpec } from '@omakase/api-contract';
import { checkCommand, commandPrefixes, type ShellPolicy } from './bash-policy';
import { isGitInternal, isTestPath, workspaceRelative } from './path-policy';
import { expandToolPath } from './tool-paths';

export const SUBMIT_TOOL_NAMES = {
  architect: 'submit_plan',
  reviewer: 'submit_review',
  tester: 'submit_test_report',
} as const;
export const MCP_SERVER_NAME = 'omakase';
export const mcpToolName = (name: string) => `mcp__${MCP_SERVER_NAME}__${name}`;

/** Built-in tools each role gets at all; everything else is absent from the session. */
export const ROLE_BUILTIN_TOOLS: Record<AgentRole, string[]> = {
  architect: ['Read', 'Glob', 'Grep', 'Bash'],
  coder: ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'],
  reviewer: ['Read', 'Glob', 'Grep', 'Bash'],
  tester: ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash'],
};

export const roleSubmitTool = (role: AgentRole) =>
  role === 'coder' ? null : mcpToolName(SUBMIT_TOOL_NAMES[role]);

/** The project's own command lines (the run spec's `project.commands`). */
export type ProjectCommands = RunCommands;

export interface PolicyContext {
  role: AgentRole;
  workspace: string;
  /** Default: the project's `commandAllowlist`. */
  commandAllowlist?: readonly string[];
  /** The run spec's project: its commands (and the older `testCommand`) are allowed by role. */
  project?: ProjectCommandSource;
  /** The agent's shell variables the policy may expand in paths; default: none (such a path is refused). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Which of the project's commands a role may run: read-only roles only check, never build or install. */
export const ROLE_PROJECT_COMMANDS: Record<AgentRole, readonly (keyof ProjectCommands)[]> = {
  architect: ['lint', 'typecheck', 'test'],
  reviewer: ['lint', 'typecheck', 'test'],
  coder: ['setup', 'test', 'lint', 'typecheck', 'build'],
  tester: ['setup', 'test', 'lint', 'typecheck', 'build'],
};

export type ProjectCommandSource = Partial<
  Pick<RunSpec['project'], 'commandAllowlist' | 'testCommand' | 'commands'>
>;

/** The project's commands from a run spec (`commands`, with the older `testCommand` as test). */
export function projectCommandsOf(project: ProjectCommandSource | undefined): ProjectCommands {
  const commands = project?.commands ?? {};
  return { ...commands, test: commands.test ?? project?.testCommand };
}

export type ToolDecision = { allow: true } | { allow: false; reason: string };

const deny = (reason: string): ToolDecision => ({ allow: false, reason });
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The one place that decides whether a tool call runs (used by a PreToolUse hook and canUseTool). */
export function decideToolUse(
  ctx: PolicyContext,
  toolName: string,
  input: Record<string, unknown>,
  /** The agent shell's current directory, when the caller knows it (a hook input's `cwd`). */
  shellCwd?: string,
): ToolDecision {
  if (toolName.startsWith('mcp__'))
    return toolName === roleSubmitTool(ctx.role)
      ? { allow: true }
      : deny(`${toolName} is not available to the ${ctx.role}`);
  if (!ROLE_BUILTIN_TOOLS[ctx.role].includes(toolName))
    return deny(`${toolName} is not available to the ${ctx.role}`);
  switch (toolName) {
    case 'Read':
      return readable(ctx, str(input.file_path));
    case 'Glob':
    case 'Grep': {
      const scope = readable(ctx, str(input.path) ?? '.');
      if (!scope.allow) return scope;
      const pattern = str(input.pattern) ?? '';
      if (toolName === 'Glob' && (/^[/~$]/.test(pattern) || pattern.split('/').includes('..')))
        return readable(ctx, pattern.replace(/[*?[{].*$/, '') || '/');
      return { allow: true };
    }
    case 'Write':
    case 'Edit':
      return writable(ctx, str(input.file_path));
    case 'Bash': {
      const decision = checkCommand(str(input.command) ?? '', { ...shellPolicy(ctx), cwd: shellCwd });
      return decision.allowed ? { allow: true } : deny(decision.reason);
    }
    default:
      return deny(`${toolName} is not available to the ${ctx.role}`);
  }
}

/** The shell guard rail for the role: see bash-policy.ts and shell-commands.ts. */
export function shellPolicy(ctx: PolicyContext): ShellPolicy {
  const develop = ctx.role === 'coder' || ctx.role === 'tester';
  const own = projectCommandsOf(ctx.project);
  const commands = ROLE_PROJECT_COMMANDS[ctx.role].flatMap((name) => own[name] ?? []);
  return {
    workspace: ctx.workspace,
    env: agentVariables(ctx),
    develop,
    fileManagement: ctx.role === 'coder',
    prefixes: [...commands, ...(develop ? allowlistOf(ctx) : [])].flatMap(commandPrefixes),
  };
}

const allowlistOf = (ctx: PolicyContext) => ctx.commandAllowlist ?? ctx.project?.commandAllowlist ?? [];
const agentVariables = (ctx: PolicyContext) => ctx.env ?? {};

function readable(ctx: PolicyContext, path: string | undefined): ToolDecision {
  if (!path) return deny('a path is required');
  const expanded = expandToolPath(path, agentVariables(ctx));
  if (!expanded.ok) return deny(expanded.reason);
  return expanded.paths.every((candidate) => workspaceRelative(ctx.workspace, candidate) !== null)
    ? { allow: true }
    : deny(`${path} is outside the workspace`);
}

function writable(ctx: PolicyContext, path: string | undefined): ToolDecision {
  if (!path) return deny('a path is required');
  const expanded = expandToolPath(path, agentVariables(ctx));
  if (!expanded.ok) return deny(expanded.reason);
  for (const candidate of expanded.paths) {
    const rel = workspaceRelative(ctx.workspace, candidate);
    if (rel === null) return deny(`${path} is outside the workspace`);
    if (isGitInternal(rel)) return deny('files under .git are not editable');
    if (ctx.role === 'tester' && !isTestPath(rel))
      return deny(`the tester may only edit test files, not ${rel}`);
  }
  return { allow: true };
}
