/**
 * A checkout's installed environment (node_modules, .venv…) and the project's cache of it: saved
 * by a setup run, restored by the orchestrator (into a fresh checkout) or a runner (cloud).
 */
export {
  EnvironmentCacheError,
  type EnvironmentManifest,
  MANIFEST_FILE,
  readManifest,
  restoreEnvironment,
  saveEnvironment,
} from './cache';
export { type EnvironmentMarker, excludeFromGit, readMarker, writeMarker } from './marker';
export { relocateVirtualenvs } from './relocate';
export { isSafeRelative } from './safe-path';
