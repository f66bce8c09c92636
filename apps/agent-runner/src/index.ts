export { type CommandDecision, checkCommand, commandPrefixes, type ShellPolicy } from './bash-policy';
export { EventSink } from './event-sink';
export { PlatformClient, PlatformError } from './platform-client';
export { createRedactor } from './redact';
export { type RunAgentOptions, runAgent } from './run-agent';
export {
  decideToolUse,
  type PolicyContext,
  type ProjectCommandSource,
  type ProjectCommands,
  projectCommandsOf,
  ROLE_BUILTIN_TOOLS,
  roleSubmitTool,
  shellPolicy,
} from './tool-policy';
export { CODER_AUTHOR, prepareWorkspace } from './workspace';

/** Absolute path of the runner's entry point, for spawning it (`tsx <path>`). */
export const AGENT_RUNNER_ENTRY = new URL('./main.ts', import.meta.url).pathname;
