/**
 * A feature's workspace seeded from the project's mirror, and its push from the mirror: the real
 * git path of `gitWorkspaces` (seed = init + fetch from the mirror; publish = copy the runner's
 * bundle out as untrusted data, fetch it into the mirror, push to the configured URL with a
 * lease). The bench plays the agent: one commit in the workspace, then the runner's own
 * `exportBundle`. No database: projects and features are plain values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Feature, newId, type Project } from '@omakase/domain';
import { exportBundle } from '../../agent-runner/src/export-bundle';
import { gitWorkspaces } from '../src/git/publish';
import { mean, percentile } from './support';

export interface PushFromMirrorResult {
  features: number;
  seedP50Ms: number;
  seedP95Ms: number;
  pushP50Ms: number;
  pushP95Ms: number;
  pushMeanMs: number;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@b', ...args], { cwd });

/** A remote with some history (a few hundred files), so pushes carry real packs. */
function createRemote(dir: string): string {
  const source = join(dir, 'source');
  execFileSync('git', ['init', '-q', '-b', 'main', source]);
  for (let i = 0; i < 300; i++)
    execFileSync('sh', ['-c', `echo "export const v${i} = ${i};" > ${source}/m${i}.js`]);
  git(source, 'add', '.');
  git(source, 'commit', '-q', '-m', 'initial');
  const remote = join(dir, 'remote.git');
  execFileSync('git', ['clone', '-q', '--bare', source, remote]);
  return remote;
}

export async function benchPushFromMirror(opts: { features?: number } = {}): Promise<PushFromMirrorResult> {
  const { features = 30 } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'omakase-bench-push-'));
  try {
    const remote = createRemote(dir);
    const now = new Date();
    const project = {
      id: newId('proj'),
      orgId: newId('org'),
      name: 'bench',
      keyPrefix: 'BEN',
      repositoryUrl: `file://${remote}`,
      defaultBranch: 'main',
    } as Project;
    const workspaces = gitWorkspaces(join(dir, 'data', 'workspaces'));
    const seeds: number[] = [];
    const pushes: number[] = [];
    // Feature 0 is a warm-up (the mirror's first clone), not counted.
    for (let i = 0; i <= features; i++) {
      const feature = {
        id: newId('feat'),
        orgId: project.orgId,
        projectId: project.id,
        key: `BEN-${i}`,
        title: `Feature ${i}`,
        description: '',
        acceptanceCriteria: [],
        createdAt: now,
      } as unknown as Feature;
      const branch = `omakase/ben-${i}`;
      const seedStart = performance.now();
      const workspace = await workspaces.prepare(project, feature, branch);
      const seeded = performance.now() - seedStart;
      await writeFile(join(workspace, `feature-${i}.js`), `export const feature = ${i};\n`);
      git(workspace, 'add', '.');
      git(workspace, 'commit', '-q', '-m', `feature ${i}`);
      await exportBundle({ workspace, branch, defaultBranch: 'main' });
      const pushStart = performance.now();
      await workspaces.publish(project, feature, branch);
      const pushed = performance.now() - pushStart;
      await workspaces.remove(feature);
      if (i > 0) {
        seeds.push(seeded);
        pushes.push(pushed);
      }
    }
    const onRemote = execFileSync('git', ['--git-dir', remote, 'branch', '--list', 'omakase/*'])
      .toString()
      .trim()
      .split('\n').length;
    if (onRemote !== features + 1)
      throw new Error(`expected ${features + 1} branches on the remote, got ${onRemote}`);
    return {
      features,
      seedP50Ms: percentile(seeds, 50),
      seedP95Ms: percentile(seeds, 95),
      pushP50Ms: percentile(pushes, 50),
      pushP95Ms: percentile(pushes, 95),
      pushMeanMs: mean(pushes),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
