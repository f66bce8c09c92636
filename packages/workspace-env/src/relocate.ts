/**
 * A virtualenv names the directory it was created in: script shebangs, `activate`, `pyvenv.cfg`
 * and editable installs' `.pth` / finder files. Restored into another checkout, those names are
 * rewritten to the new one (other trees, like node_modules, use relative links and need nothing).
 */
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_REWRITE_BYTES = 1024 * 1024;
const SITE_FILE = /(\.pth|\.egg-link|^__editable__.*\.py|^direct_url\.json)$/;

export async function relocateVirtualenvs(workspace: string, paths: string[], from: string): Promise<number> {
  let rewritten = 0;
  for (const path of paths) {
    const venv = join(workspace, path);
    if (!(await isFile(join(venv, 'pyvenv.cfg')))) continue;
    const files = [join(venv, 'pyvenv.cfg'), ...(await listFiles(join(venv, 'bin')))];
    for (const lib of await listDirs(join(venv, 'lib')))
      for (const file of await listFiles(join(lib, 'site-packages')))
        if (SITE_FILE.test(file.slice(file.lastIndexOf('/') + 1))) files.push(file);
    for (const file of files) if (await rewrite(file, from, workspace)) rewritten++;
  }
  return rewritten;
}

async function rewrite(file: string, from: string, to: string): Promise<boolean> {
  const info = await lstat(file).catch(() => null);
  if (!info?.isFile() || info.size > MAX_REWRITE_BYTES) return false;
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) return false;
  await writeFile(file, text.replaceAll(from, to));
  return true;
}

const isFile = async (path: string) => (await lstat(path).catch(() => null))?.isFile() === true;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
}
