import { fileURLToPath } from 'node:url';

/**
 * The command that starts one agent runner from this checkout. The loader is given by absolute
 * URL because the runner's working directory is its workspace, where nothing resolves.
 */
export function localRunnerCommand(): string[] {
  const entry = fileURLToPath(new URL('../../../agent-runner/src/main.ts', import.meta.url));
  return [process.execPath, '--import', import.meta.resolve('tsx'), entry];
}
