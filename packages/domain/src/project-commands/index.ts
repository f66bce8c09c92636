export { detectCommands, detectionReads } from './detect';
export { effectiveCommands } from './effective';
export { INSTRUCTION_FILES, INSTRUCTIONS_MAX_BYTES } from './instructions';
export type { Detected, RepoSnapshot } from './types';
