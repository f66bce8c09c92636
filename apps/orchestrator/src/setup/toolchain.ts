/** The toolchain an installed environment depends on (part of its cache key): Node and Python. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
let versions: Promise<string> | null = null;

export function toolchainVersions(): Promise<string> {
  versions ??= exec('python3', ['--version'], { timeout: 10_000 })
    .then(({ stdout, stderr }) => (stdout || stderr).trim())
    .catch(() => 'no python3')
    .then((python) => `node ${process.version}; ${python}`);
  return versions;
}
