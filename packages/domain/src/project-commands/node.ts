/** npm, pnpm and yarn: the package manager from `packageManager` or the lockfile, commands from scripts. */
import type { Detected, RepoSnapshot } from './types';

type Manager = 'npm' | 'pnpm' | 'yarn';
interface PackageJson {
  packageManager?: unknown;
  scripts?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
}

const TSC: Record<Manager, string> = { npm: 'npx tsc', pnpm: 'pnpm exec tsc', yarn: 'yarn tsc' };
/** npm's `npm init` placeholder is not a test suite. */
const PLACEHOLDER_TEST = /no test specified/;

export function detectNode(repo: RepoSnapshot): Detected {
  const raw = repo.contents['package.json'];
  if (raw === undefined) return {};
  let pkg: PackageJson;
  try {
    const parsed: unknown = JSON.parse(raw);
    pkg = parsed && typeof parsed === 'object' ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
  const has = (name: string) => repo.files.includes(name);
  const { manager, from } = packageManager(pkg, has);
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {};
  const script = (name: string) =>
    typeof scripts[name] === 'string' && (scripts[name] as string).trim() !== '';
  const run = (name: string) => (name === 'test' ? `${manager} test` : `${manager} run ${name}`);
  const out: Detected = { setup: setupCommand(manager, from, repo, has) };
  if (script('test') && !PLACEHOLDER_TEST.test(scripts.test as string))
    out.test = { command: run('test'), source: 'package.json scripts.test' };
  if (script('lint')) out.lint = { command: run('lint'), source: 'package.json scripts.lint' };
  const typecheck = ['typecheck', 'type-check', 'tsc'].find(script);
  if (typecheck) out.typecheck = { command: run(typecheck), source: `package.json scripts.${typecheck}` };
  else if (has('tsconfig.json') && (pkg.devDependencies?.typescript ?? pkg.dependencies?.typescript))
    out.typecheck = { command: `${TSC[manager]} --noEmit`, source: 'tsconfig.json' };
  if (script('build')) out.build = { command: run('build'), source: 'package.json scripts.build' };
  return out;
}

function packageManager(
  pkg: PackageJson,
  has: (name: string) => boolean,
): { manager: Manager; from: string } {
  const declared =
    typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn)@/.exec(pkg.packageManager)?.[1] : undefined;
  if (declared) return { manager: declared as Manager, from: 'package.json packageManager' };
  if (has('pnpm-lock.yaml')) return { manager: 'pnpm', from: 'pnpm-lock.yaml' };
  if (has('yarn.lock')) return { manager: 'yarn', from: 'yarn.lock' };
  return { manager: 'npm', from: 'package.json' };
}

function setupCommand(manager: Manager, from: string, repo: RepoSnapshot, has: (name: string) => boolean) {
  if (manager === 'pnpm')
    return has('pnpm-lock.yaml')
      ? { command: 'pnpm install --frozen-lockfile', source: 'pnpm-lock.yaml' }
      : { command: 'pnpm install', source: from };
  if (manager === 'yarn') {
    if (!has('yarn.lock')) return { command: 'yarn install', source: from };
    return isYarnBerry(repo, has)
      ? { command: 'yarn install --immutable', source: 'yarn.lock' }
      : { command: 'yarn install --frozen-lockfile', source: 'yarn.lock' };
  }
  for (const lock of ['package-lock.json', 'npm-shrinkwrap.json'])
    if (has(lock)) return { command: 'npm ci', source: lock };
  return { command: 'npm install', source: 'package.json' };
}

/** Yarn 2+ ("berry"): a `.yarnrc.yml`, `packageManager: yarn@2+`, or the lockfile's `__metadata`. */
function isYarnBerry(repo: RepoSnapshot, has: (name: string) => boolean): boolean {
  if (has('.yarnrc.yml')) return true;
  const declared = /"packageManager"\s*:\s*"yarn@(\d+)/.exec(repo.contents['package.json'] ?? '')?.[1];
  if (declared) return Number(declared) >= 2;
  const lock = repo.contents['yarn.lock'] ?? '';
  return /^__metadata:/m.test(lock) && !/^# yarn lockfile v1/m.test(lock);
}
