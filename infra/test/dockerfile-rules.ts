/** A small Dockerfile rule set (the subset of hadolint's rules we rely on, plus our own). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

/** Rule violations as "line N: message"; empty when the file passes. */
export function lintDockerfile(text: string, repoRoot: string): string[] {
  const ins = parseDockerfile(text);
  const problems: string[] = [];
  const at = (i: Instruction, msg: string) => problems.push(`line ${i.line}: ${msg}`);
  const args = Object.fromEntries(
    ins.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string | undefined]),
  );
  const froms = ins.filter((i) => i.op === 'FROM');
  if (froms.length < 2) problems.push('not multi-stage (needs a build stage and a runtime stage)');
  for (const from of froms) {
    const image = from.args.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, k) => args[k] ?? '');
    if (!/@sha256:[0-9a-f]{64}$/.test(image) && !/:\d+\.\d+\.\d+[\w.-]*$/.test(image)) {
      at(from, `base image "${image}" is not pinned to a digest or an exact version tag`);
    }
  }
  const lastFrom = ins.lastIndexOf(froms.at(-1)!);
  const finalStage = ins.slice(lastFrom);
  const user = finalStage.filter((i) => i.op === 'USER').at(-1);
  if (!user || /^(root|0)(:|$)/.test(user.args))
    problems.push('final stage does not switch to a non-root USER');
  const entry = finalStage.findIndex((i) => i.op === 'ENTRYPOINT' || i.op === 'CMD');
  if (entry < 0) problems.push('final stage has no ENTRYPOINT/CMD');
  else if (user && finalStage.indexOf(user) > entry) problems.push('USER comes after ENTRYPOINT/CMD');
  for (const i of ins) {
    if (i.op === 'ADD') at(i, 'use COPY, not ADD');
    if ((i.op === 'ENTRYPOINT' || i.op === 'CMD') && !i.args.startsWith('['))
      at(i, `${i.op} must use the exec form`);
    if (i.op === 'ENV' && /(KEY|TOKEN|SECRET|PASSWORD)\w*=/.test(i.args))
      at(i, 'secret-like value baked into ENV');
    if (i.op === 'RUN') {
      if (/\bsudo\b/.test(i.args)) at(i, 'sudo in RUN');
      if (/apt-get install/.test(i.args) && !/--no-install-recommends/.test(i.args))
        at(i, 'apt-get install without --no-install-recommends');
      for (const pkg of unpinnedAptPackages(i.args)) at(i, `apt package ${pkg} is not pinned (pkg=version)`);
      if (/apt-get install/.test(i.args) && !/rm -rf \/var\/lib\/apt\/lists/.test(i.args))
        at(i, 'apt lists not removed in the same layer');
      if (/npm (ci|install)\b/.test(i.args) && !/--prefix/.test(i.args) && !/--omit=dev/.test(i.args))
        at(i, 'npm install without --omit=dev (production dependencies only)');
      if (/--omit=optional|--no-optional/.test(i.args))
        at(i, 'optional dependencies omitted (the Claude Code binary is one)');
    }
    if (i.op === 'COPY' && !/--from=/.test(i.args)) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        if (!existsSync(join(repoRoot, src))) at(i, `COPY source ${src} does not exist`);
      }
    }
  }
  return problems;
}

/** COPY sources of a Dockerfile (outside --from stages). */
export function copySources(text: string): string[] {
  return parseDockerfile(text)
    .filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((p) => !p.startsWith('--'))
        .slice(0, -1),
    );
}

/** The @omakase workspaces a workspace needs at runtime (its production deps, transitively). */
export function runtimeWorkspaces(repoRoot: string, dir: string, seen = new Set<string>()): Set<string> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8'));
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!name.startsWith('@omakase/')) continue;
    const sub = `packages/${name.slice('@omakase/'.length)}`;
    if (seen.has(sub)) continue;
    seen.add(sub);
    runtimeWorkspaces(repoRoot, sub, seen);
  }
  return seen;
}

/** Packages named after `apt-get install` (up to the next `&&`) without an `=version`. */
function unpinnedAptPackages(run: string): string[] {
  return [...run.matchAll(/apt-get install ([^&;]*)/g)].flatMap((m) =>
    m[1]!.split(/\s+/).filter((word) => word && !word.startsWith('-') && !word.includes('=')),
  );
}
