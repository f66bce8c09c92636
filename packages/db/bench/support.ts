import { pathToFileURL } from 'node:url';

export { percentile, withBenchDatabase } from '../src/testing';

export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}
