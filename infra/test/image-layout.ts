/**
 * The file layout of a Dockerfile's runtime stage, rebuilt without Docker: WORKDIR, COPY from the
 * build context (honouring .dockerignore) and COPY --from the deps stage, with stand-ins for what
 * that stage installs. RUN steps (apt packages, users) are not reproduced; runtime files are.
 *
 * Stand-ins (the one place this differs from a real build):
 * - `npm ci --omit=dev … --workspace W` → `node_modules` holding links to this checkout's
 *   installed packages, limited to W's production closure per package-lock.json, plus the
 *   workspace links npm creates (`@omakase/x` → `../../packages/x`) for the workspaces whose
 *   package.json the deps stage copies — and only those.
 * - `npm install --prefix P … tsx@V` → `P/node_modules/tsx` linked to this checkout's tsx,
 *   refused unless it is version V.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { type Instruction, parseDockerfile } from './dockerfile-rules';

export interface ImageLayout {
  /** The image's `/`. */
  rootfs: string;
  /** WORKDIR of the runtime stage, inside rootfs. */
  workdir: string;
  /** ENTRYPOINT with image paths mapped into rootfs. */
  entrypoint: string[];
  env: Record<string, string>;
  /** What was linked instead of built, for messages. */
  standIns: string[];
}

export class LayoutError extends Error {}

interface Stage {
  name: string | undefined;
  instructions: Instruction[];
}

export function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  for (const ins of parseDockerfile(dockerfile)) {
    if (ins.op === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)\s*$/i.exec(ins.args)?.[1], instructions: [] });
    } else stages.at(-1)?.instructions.push(ins);
  }
  return stages;
}

/** Builds the runtime (last) stage of `dockerfile` into `dest`/rootfs. `dest` must be outside the repo. */
export function buildImageLayout(dockerfile: string, repoRoot: string, dest: string): ImageLayout {
  const stages = stagesOf(dockerfile);
  const runtime = stages.at(-1);
  if (!runtime) throw new LayoutError('no FROM');
  const rootfs = join(dest, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  const inImage = (path: string) => join(rootfs, path);
  const ignored = dockerignore(repoRoot);
  const layout: ImageLayout = { rootfs, workdir: inImage('/'), entrypoint: [], env: {}, standIns: [] };
  let workdir = '/';
  for (const ins of runtime.instructions) {
    if (ins.op === 'WORKDIR') {
      workdir = posix.resolve(workdir, ins.args);
      mkdirSync(inImage(workdir), { recursive: true });
    } else if (ins.op === 'ENV') {
      for (const [, key, value] of ins.args.matchAll(/(\w+)=(\S*)/g)) layout.env[key!] = value!;
    } else if (ins.op === 'ENTRYPOINT') {
      const argv = JSON.parse(ins.args) as string[];
      layout.entrypoint = argv.map((arg) => (arg.startsWith('/') ? inImage(arg) : arg));
    } else if (ins.op === 'COPY') {
      const { from, sources, target } = parseCopy(ins);
      const destPath = posix.resolve(workdir, target);
      const intoDir = target.endsWith('/') || sources.length > 1;
      for (const src of sources) {
        const to = inImage(intoDir ? posix.join(destPath, posix.basename(src)) : destPath);
        if (from === undefined) copyFromContext(repoRoot, src, to, ignored, ins);
        else {
          const stage = stages.find((s) => s.name === from);
          if (!stage) throw new LayoutError(`line ${ins.line}: no stage named ${from}`);
          layout.standIns.push(standInFromStage(stage, posix.resolve('/', src), to, repoRoot));
        }
      }
    }
  }
  layout.workdir = inImage(workdir);
  return layout;
}

function parseCopy(ins: Instruction): { from: string | undefined; sources: string[]; target: string } {
  const words = ins.args.startsWith('[') ? (JSON.parse(ins.args) as string[]) : ins.args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  if (paths.length < 2) throw new LayoutError(`line ${ins.line}: COPY needs a source and a destination`);
  if (paths.some((p) => /[*?[]/.test(p)))
    throw new LayoutError(`line ${ins.line}: COPY globs are not supported here`);
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), target: paths.at(-1)! };
}

/** Docker's COPY: a directory's contents, or one file, minus what .dockerignore excludes. */
function copyFromContext(
  repoRoot: string,
  src: string,
  to: string,
  ignored: (path: string) => boolean,
  ins: Instruction,
) {
  const rel = posix.normalize(src).replace(/^\/+|\/+$/g, '');
  const from = join(repoRoot, rel);
  if (!existsSync(from) || ignored(rel))
    throw new LayoutError(`line ${ins.line}: ${src} not in the build context`);
  mkdirSync(statSync(from).isDirectory() ? to : dirname(to), { recursive: true });
  cpSync(from, to, {
    recursive: true,
    filter: (path) => !ignored(relative(repoRoot, path).split('\\').join('/')),
  });
}

function standInFromStage(stage: Stage, src: string, to: string, repoRoot: string): string {
  let workdir = '/';
  const copied: string[] = [];
  for (const ins of stage.instructions) {
    if (ins.op === 'WORKDIR') workdir = posix.resolve(workdir, ins.args);
    if (ins.op === 'COPY' && !ins.args.includes('--from=')) {
      const { sources, target } = parseCopy(ins);
      for (const s of sources)
        copied.push(
          posix.resolve(workdir, target.endsWith('/') ? posix.join(target, posix.basename(s)) : target),
        );
    }
    if (ins.op !== 'RUN') continue;
    const ci = /\bnpm ci\b.*--omit=dev.*--workspace[ =](\S+)/.exec(ins.args);
    if (ci && src === posix.join(workdir, 'node_modules')) {
      const workspaces = copied
        .filter((path) => path.endsWith('/package.json') && path !== posix.join(workdir, 'package.json'))
        .map((path) => posix.relative(workdir, posix.dirname(path)));
      linkProductionModules(repoRoot, ci[1]!, workspaces, to);
      return `${src}: links to this checkout's node_modules (production closure of ${ci[1]}, workspaces ${workspaces.join(', ')})`;
    }
    const tsx = /\bnpm install --prefix (\S+) .*\btsx@(\S+)/.exec(ins.args);
    if (tsx && src === posix.resolve(workdir, tsx[1]!)) {
      const installed = JSON.parse(
        readFileSync(join(repoRoot, 'node_modules/tsx/package.json'), 'utf8'),
      ).version;
      if (installed !== tsx[2])
        throw new LayoutError(`the image installs tsx@${tsx[2]}, this checkout has ${installed}`);
      mkdirSync(join(to, 'node_modules'), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules/tsx'), join(to, 'node_modules/tsx'));
      return `${src}: this checkout's tsx@${installed}`;
    }
  }
  throw new LayoutError(
    `no stand-in for COPY --from=${stage.name} ${src}: teach image-layout.ts what builds it`,
  );
}

interface LockEntry {
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** `npm ci --omit=dev --include=optional --workspace <name>`, as links into this checkout. */
function linkProductionModules(repoRoot: string, workspace: string, present: string[], to: string) {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const workspaceDir = Object.entries(lock.packages).find(
    ([path, entry]) => !path.includes('node_modules') && (entry as { name?: string }).name === workspace,
  )?.[0];
  if (workspaceDir === undefined || !present.includes(workspaceDir))
    throw new LayoutError(`the deps stage installs ${workspace} without copying its package.json`);
  const topLevel = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const entry = lock.packages[path]!;
    const optionalPeers = Object.keys(entry.peerDependenciesMeta ?? {}).filter(
      (n) => entry.peerDependenciesMeta![n]!.optional,
    );
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.includes(n)),
    ];
    for (const name of names) {
      const found = locate(lock.packages, path, name);
      if (found === undefined) continue; // an optional dependency for another platform
      const target = lock.packages[found]!;
      if (target.link) {
        if (!present.includes(target.resolved!)) continue; // npm cannot link what it does not see
        topLevel.add(found);
        visit(target.resolved!);
      } else {
        if (/^node_modules\/(@[^/]+\/)?[^/]+$/.test(found)) topLevel.add(found);
        visit(found);
      }
    }
  };
  visit(workspaceDir);
  for (const path of topLevel) {
    const link = join(to, path.slice('node_modules/'.length));
    mkdirSync(dirname(link), { recursive: true });
    const entry = lock.packages[path]!;
    if (entry.link) symlinkSync(relative(dirname(link), join(to, '..', entry.resolved!)), link);
    else if (existsSync(join(repoRoot, path))) symlinkSync(join(repoRoot, path), link);
  }
}

/** Node's lookup of `name` from the package at lockfile path `from`: nearest node_modules up. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
}

/**
 * .dockerignore of the build context: `*`, `?`, `**`, `!` exceptions, last match wins, and a
 * path is excluded when it or a parent directory matches (Docker's semantics for these forms).
 */
export function dockerignore(repoRoot: string): (path: string) => boolean {
  const file = join(repoRoot, '.dockerignore');
  const rules = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => {
          const negate = line.startsWith('!');
          const pattern = posix.normalize(line.slice(negate ? 1 : 0)).replace(/^\/+|\/+$/g, '');
          const source = pattern
            .split('/')
            .map((part) =>
              part === '**'
                ? '(?:.*)'
                : part
                    .replace(/[.+^${}()|\\]/g, '\\$&')
                    .replace(/\*/g, '[^/]*')
                    .replace(/\?/g, '[^/]'),
            )
            .join('/')
            .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
          return { negate, regex: new RegExp(`^${source}$`) };
        })
    : [];
  return (path: string) => {
    if (!path || path === '.') return false;
    const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { negate, regex } of rules) if (prefixes.some((p) => regex.test(p))) excluded = !negate;
    return excluded;
  };
}
