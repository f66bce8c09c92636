/**
 * The package registries a setup run may reach: by default those the machine's own package
 * managers are configured with (asked of npm and pip themselves, outside any repository, so a
 * project's `.npmrc` cannot widen the list); a project's `setupRegistries` replace them. Only
 * destinations and registry URLs — never credentials: a URL's user info is dropped.
 */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { type Destination, destinationOf } from '../compute/egress-proxy';

const exec = promisify(execFile);

export interface Registries {
  /** `host:port` the run's egress proxy lets through. */
  destinations: Destination[];
  /** Environment for the setup command, so its package manager uses exactly these. */
  env: Record<string, string>;
}

/** pip's own default index (`pip._internal.models.index.PyPI`): where pip goes unconfigured. */
const PIP_DEFAULT = `from pip._internal.models.index import PyPI; print(PyPI.simple_url); print(PyPI.file_storage_domain)`;

let machine: Promise<Registries> | null = null;

/** Read once per process: the machine's configuration does not change under us. */
export function machineRegistries(): Promise<Registries> {
  machine ??= readMachineRegistries();
  return machine;
}

async function readMachineRegistries(): Promise<Registries> {
  const destinations = new Set<Destination>();
  const env: Record<string, string> = {};
  const npm = await ask('npm', ['config', 'get', 'registry']);
  const npmUrl = npm && webUrl(npm.trim());
  if (npmUrl) {
    env.npm_config_registry = npmUrl;
    destinations.add(destinationOf(npmUrl));
  }
  const pip = await pipConfig();
  for (const url of [pip.index, ...pip.extra]) if (url) destinations.add(destinationOf(url));
  for (const host of pip.fileHosts) destinations.add(`${host}:443`);
  if (pip.configuredIndex && pip.index) env.PIP_INDEX_URL = pip.index;
  if (pip.extra.length > 0) env.PIP_EXTRA_INDEX_URL = pip.extra.join(' ');
  return { destinations: [...destinations], env };
}

/** A project's own list (settings `setupRegistries`) instead of the machine's. */
export function projectRegistries(urls: readonly string[]): Registries {
  const clean = urls.map(webUrl).filter((url): url is string => url !== null);
  return { destinations: [...new Set(clean.map(destinationOf))], env: {} };
}

interface PipRegistries {
  /** The index pip uses (configured, else its default); null without pip. */
  index: string | null;
  configuredIndex: boolean;
  extra: string[];
  /** The default index serves files from another host (PyPI's files.pythonhosted.org). */
  fileHosts: string[];
}

async function pipConfig(): Promise<PipRegistries> {
  const listed = (await ask('python3', ['-m', 'pip', 'config', 'list'])) ?? '';
  const value = (name: string) =>
    [...listed.matchAll(new RegExp(`^[\\w:.-]*\\.${name}='([^']*)'$`, 'gm'))].map((m) => m[1] as string);
  const configured =
    value('index-url')
      .map(webUrl)
      .find((url) => url !== null) ?? null;
  const extra = value('extra-index-url')
    .flatMap((v) => v.split(/\s+/))
    .map(webUrl)
    .filter((url): url is string => url !== null);
  if (configured) return { index: configured, configuredIndex: true, extra, fileHosts: [] };
  const defaults = await ask('python3', ['-c', PIP_DEFAULT]);
  const [index, fileHost] = (defaults ?? '').trim().split('\n');
  return {
    index: webUrl(index ?? ''),
    configuredIndex: false,
    extra,
    fileHosts: fileHost?.trim() ? [fileHost.trim()] : [],
  };
}

/** http(s) URLs only (file:// indexes need no network), without user info. */
function webUrl(text: string): string | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.username = '';
  url.password = '';
  return url.toString();
}

async function ask(command: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec(command, args, {
      cwd: tmpdir(),
      timeout: 10_000,
      // The host's PATH and HOME, passed through to the package manager (it reads the operator's
      // user config there): not configuration of ours, so not in env.ts.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    });
    return stdout;
  } catch {
    return null; // that package manager is not installed here
  }
}
