/**
 * The runner image carries everything the runner reads at run time. No Docker daemon here, so the
 * runtime stage's file layout is rebuilt from the Dockerfile (image-layout.ts: COPY from the build
 * context as Docker would, the deps stage's node_modules and tsx as links into this checkout) and
 * the runner is loaded from inside it: cwd = WORKDIR, the image's ENV and its tsx loader.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { PlatformStack } from '../src';
import { parseDockerfile } from './dockerfile-rules';
import { buildImageLayout, dockerignore, type ImageLayout, stagesOf } from './image-layout';
import { moduleGraph } from './module-graph';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = readFileSync(join(root, 'docker/agent-runner.Dockerfile'), 'utf8');
const ROLES_DIR = join(root, 'apps/agent-runner/roles');
const PROMPT_MODULE = 'apps/agent-runner/src/prompt.ts';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function layoutOf(dockerfile: string): ImageLayout {
  const dest = mkdtempSync(join(tmpdir(), 'runner-image-'));
  temps.push(dest);
  return buildImageLayout(dockerfile, root, dest);
}
const without = (line: string) => {
  expect(DOCKERFILE).toContain(`${line}\n`);
  return DOCKERFILE.replace(`${line}\n`, '');
};
const entryOf = (layout: ImageLayout) => join(layout.workdir, layout.entrypoint.at(-1)!);

/**
 * Runs the image's ENTRYPOINT with the entry module swapped for a probe: it imports every module
 * of the runner's graph (but the entry, which would start a run) and reads every role's prompt
 * through the runner's own loader (prompt.ts), for every role the run contract allows.
 */
function probe(
  layout: ImageLayout,
  modules: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  const script = join(layout.rootfs, '..', 'probe.mjs');
  writeFileSync(
    script,
    `import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const { modules, prompt } = JSON.parse(process.argv[2]);
for (const file of modules) await import(pathToFileURL(file).href);
const { loadRoleInstructions } = await import(pathToFileURL(prompt).href);
const contract = createRequire(prompt).resolve('@omakase/api-contract');
const { agentRoleSchema } = await import(pathToFileURL(contract).href);
const roles = {};
for (const role of agentRoleSchema.options) roles[role] = await loadRoleInstructions(role);
process.stdout.write(JSON.stringify(roles));
`,
  );
  const [node, ...args] = layout.entrypoint;
  expect(node).toBe('node');
  const argv = [
    ...args.slice(0, -1),
    script,
    JSON.stringify({ modules, prompt: join(layout.workdir, PROMPT_MODULE) }),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: layout.workdir,
      env: { PATH: process.env.PATH, ...layout.env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
  });
}

describe('runner image layout (docker/agent-runner.Dockerfile, runtime stage)', () => {
  const layout = layoutOf(DOCKERFILE);
  const graph = moduleGraph(entryOf(layout), layout.rootfs);

  it('has every file the entry point imports, transitively, and every module-relative read', () => {
    expect(layout.standIns.join('\n')).toMatch(/node_modules: links to this checkout's node_modules/);
    expect(graph.missing).toEqual([]);
    const files = graph.files.map((f) => f.slice(layout.rootfs.length));
    expect(files).toContain('/app/apps/agent-runner/src/main.ts');
    expect(files).toContain('/app/apps/agent-runner/src/prompt.ts');
    expect(files.some((f) => f.startsWith('/app/packages/api-contract/src/'))).toBe(true);
    expect(graph.packages).toContain('@anthropic-ai/claude-agent-sdk');
    expect(graph.moduleRelativeReads.map((r) => r.path)).toContain('/app/apps/agent-runner/roles');
    expect(graph.moduleRelativeReads.filter((r) => !r.exists)).toEqual([]);
  });

  it('loads every module through the image loader from WORKDIR and reads every role prompt', async () => {
    const modules = graph.files.filter((f) => f !== graph.files[0] && !f.endsWith('.json'));
    const result = await probe(layout, modules);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const roles = JSON.parse(result.out) as Record<string, string>;
    const repoRoles = readdirSync(ROLES_DIR).sort();
    expect(Object.keys(roles).sort()).toEqual(repoRoles);
    for (const role of repoRoles)
      expect(roles[role]).toBe(readFileSync(join(ROLES_DIR, role, 'CLAUDE.md'), 'utf8'));
  });

  it('fails the way an ECS run failed when the roles are not copied', async () => {
    const broken = layoutOf(without('COPY apps/agent-runner/roles apps/agent-runner/roles'));
    const brokenGraph = moduleGraph(entryOf(broken), broken.rootfs);
    expect(brokenGraph.moduleRelativeReads.filter((r) => !r.exists).map((r) => r.path)).toEqual([
      '/app/apps/agent-runner/roles',
    ]);
    const result = await probe(broken, []);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/ENOENT.*apps\/agent-runner\/roles\/architect\/CLAUDE\.md/);
  });

  it('reports a workspace package missing from the runtime stage or from the deps stage', () => {
    for (const line of [
      'COPY packages/domain packages/domain',
      'COPY packages/domain/package.json packages/domain/',
    ]) {
      const broken = layoutOf(without(line));
      expect(moduleGraph(entryOf(broken), broken.rootfs).missing.join('\n'), line).toMatch(
        /'@omakase\/domain'/,
      );
    }
  });

  it('keeps build-context junk out (.dockerignore)', () => {
    const ignored = dockerignore(root);
    for (const path of [
      'node_modules',
      'apps/web/node_modules',
      '.git',
      'packages/db/.data',
      'apps/web/.next',
      '.env',
    ])
      expect(ignored(path), path).toBe(true);
    for (const path of ['apps/agent-runner/roles/coder/CLAUDE.md', 'packages/domain/package.json'])
      expect(ignored(path), path).toBe(false);
  });
});

describe('runner image toolchain', () => {
  const runtime = stagesOf(DOCKERFILE).at(-1)!;
  const aptPackages = new Map(
    runtime.instructions
      .filter((i) => i.op === 'RUN')
      .flatMap((i) => [...i.args.matchAll(/apt-get install ([^&;|]*)/g)])
      .flatMap((m) => m[1]!.split(/\s+/).filter((w) => w && !w.startsWith('-')))
      .map((word) => word.split('=') as [string, string | undefined]),
  );

  it('is a Node 20 Debian bookworm image', () => {
    const args = parseDockerfile(DOCKERFILE).filter((i) => i.op === 'ARG');
    const image = args.find((i) => i.args.startsWith('NODE_IMAGE='))?.args.slice('NODE_IMAGE='.length);
    expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm(-slim)?$/);
    expect(
      parseDockerfile(DOCKERFILE)
        .filter((i) => i.op === 'FROM')
        .at(-1)!.args,
    ).toMatch(/^\$\{NODE_IMAGE\}/);
  });

  it('installs git, Python 3 with venv and pip, and a C toolchain, each pinned to a bookworm version', () => {
    for (const pkg of ['git', 'python3', 'python3-venv', 'python3-pip', 'python3-dev', 'build-essential']) {
      expect(aptPackages.get(pkg), pkg).toMatch(/^[\w.:~+-]+$/);
    }
    expect(aptPackages.get('python3')).toBe(aptPackages.get('python3-venv'));
    expect(aptPackages.get('python3')).toMatch(/^3\.11\./); // bookworm's python3
  });

  it("is what infra's runner task definitions run: the omakase/runner repository, its ENTRYPOINT unchanged", () => {
    const template = Template.fromStack(
      new PlatformStack(new App(), 'Test', {
        config: {
          tokenUrl: 'https://tenant.example.auth0.com/oauth/token',
          orgs: [{ id: 'org_a', warmPoolSize: 1 }],
        },
      }),
    );
    const repos = template.findResources('AWS::ECR::Repository', {
      Properties: { RepositoryName: 'omakase/runner' },
    });
    const [repoId] = Object.keys(repos);
    expect(repoId).toBeDefined();
    const defs = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as {
      Properties: { Family: string; ContainerDefinitions: Record<string, unknown>[] };
    }[];
    const runners = defs.filter((d) => /^omakase-(runner|warm)-org_a$/.test(d.Properties.Family));
    expect(runners.map((d) => d.Properties.Family).sort()).toEqual([
      'omakase-runner-org_a',
      'omakase-warm-org_a',
    ]);
    for (const def of runners) {
      const container = def.Properties.ContainerDefinitions[0]!;
      expect(JSON.stringify(container.Image)).toContain(`"${repoId}"`);
      expect(container.EntryPoint).toBeUndefined();
      expect(container.Command).toBeUndefined();
    }
    const deploy = readFileSync(join(root, 'docs/deploy.md'), 'utf8');
    expect(deploy).toMatch(/-f docker\/agent-runner\.Dockerfile -t \S+\/omakase\/runner:/);
  });
});
