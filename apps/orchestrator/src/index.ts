export { LocalProcessDriver } from './compute/local-process-driver';
export { NullDriver } from './compute/null-driver';
export type * from './compute/types';
export { gitWorkspaces, type PullRequestOptions, type Workspaces } from './git/publish';
export { type HandlerDeps, Handlers } from './handlers';
export { type OrchestratorOptions, type RunningOrchestrator, startOrchestrator } from './orchestrator';
export { Worker } from './worker';
