import type { AgentRole } from '@omakase/api-contract';
import { checkCommand, READ_ONLY_GIT } from './bash-policy';
import { isGitInternal, isTestPath, workspaceRelative } from './path-policy';

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

export interface PolicyContext {
  role: AgentRole;
  workspace: string;
  commandAllowlist: readonly string[];
}

export type ToolDecision = { allow: true } | { allow: false; reason: string };

const deny = (reason: string): ToolDecision => ({ allow: false, reason });
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The one place that decides whether a tool call runs (used by a PreToolUse hook and canUseTool). */
export function decideToolUse(
  ctx: PolicyContext,
  toolName: string,
  input: Record<string, unknown>,
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
      if (toolName === 'Glob' && (pattern.startsWith('/') || pattern.split('/').includes('..')))
        return readable(ctx, pattern.replace(/[*?[{].*$/, '') || '/');
      return { allow: true };
    }
    case 'Write':
    case 'Edit':
      return writable(ctx, str(input.file_path));
    case 'Bash': {
      const allowlist =
        ctx.role === 'architect' || ctx.role === 'reviewer' ? READ_ONLY_GIT : ctx.commandAllowlist;
      const decision = checkCommand(str(input.command) ?? '', allowlist, ctx.workspace);
      return decision.allowed ? { allow: true } : deny(decision.reason);
    }
    default:
      return deny(`${toolName} is not available to the ${ctx.role}`);
  }
}

function readable(ctx: PolicyContext, path: string | undefined): ToolDecision {
  if (!path) return deny('a path is required');
  return workspaceRelative(ctx.workspace, path) === null
    ? deny(`${path} is outside the workspace`)
    : { allow: true };
}

function writable(ctx: PolicyContext, path: string | undefined): ToolDecision {
  if (!path) return deny('a path is required');
  const rel = workspaceRelative(ctx.workspace, path);
  if (rel === null) return deny(`${path} is outside the workspace`);
  if (isGitInternal(rel)) return deny('files under .git are not editable');
  if (ctx.role === 'tester' && !isTestPath(rel))
    return deny(`the tester may only edit test files, not ${rel}`);
  return { allow: true };
}
