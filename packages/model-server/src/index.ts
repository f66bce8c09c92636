export { AGENT_ROLES, type Brief, parseBrief, SCRIPT_MARKERS, type ScriptMarker } from './brief';
export { featureFiles, parseTestOutput, SUBMIT_TOOLS } from './scripts/common';
export { scriptedTurn } from './scripts/index';
export { type ModelServer, type ModelServerOptions, startModelServer } from './server';
