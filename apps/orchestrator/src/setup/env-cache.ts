/**
 * The project's dependency cache on the host: `<workspaces>/<org>/.env-cache/<project>/<key>/`
 * (in the cloud that is the org's own EFS directory). A setup run that installed leaves a copy in
 * `.staging/<run>`; once its result is recorded the copy becomes the entry for its key (a rename,
 * first one wins). A hit is restored into a freshly seeded checkout before any agent touches it —
 * copy-on-write where the filesystem can, never hard links (see @omakase/workspace-env).
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project, RunId } from '@omakase/domain';
import { excludeFromGit, readManifest, restoreEnvironment, writeMarker } from '@omakase/workspace-env';

/** Entries kept per project (older keys are evicted when a new one arrives). */
const KEEP_ENTRIES = 3;
const KEY = /^[0-9a-f]{16,64}$/;

type ProjectRef = Pick<Project, 'orgId' | 'id'>;

export class EnvironmentCache {
  constructor(private readonly workspacesRoot: string) {}

  projectDir(project: ProjectRef): string {
    return join(this.workspacesRoot, project.orgId, '.env-cache', project.id);
  }

  entryDir(project: ProjectRef, key: string): string {
    if (!KEY.test(key)) throw new Error(`not an environment key: ${key}`);
    return join(this.projectDir(project), key);
  }

  stagingDir(project: ProjectRef, runId: RunId): string {
    return join(this.projectDir(project), '.staging', runId);
  }

  async has(project: ProjectRef, key: string): Promise<boolean> {
    return (await readManifest(this.entryDir(project, key), key)) !== null;
  }

  /** A fresh, empty staging directory for the run (the driver hands it to the sandbox user). */
  async prepareStaging(project: ProjectRef, runId: RunId): Promise<string> {
    const dir = this.stagingDir(project, runId);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** The run's staged copy becomes the entry for `key`; false when incomplete or already cached. */
  async promote(project: ProjectRef, runId: RunId, key: string): Promise<boolean> {
    const staging = this.stagingDir(project, runId);
    try {
      if (!(await readManifest(staging, key)) || (await this.has(project, key))) return false;
      await rm(this.entryDir(project, key), { recursive: true, force: true });
      await rename(staging, this.entryDir(project, key));
      await this.evict(project, key);
      return true;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  discardStaging(project: ProjectRef, runId: RunId): Promise<void> {
    return rm(this.stagingDir(project, runId), { recursive: true, force: true });
  }

  /**
   * Copies the entry into a checkout the host just seeded (no agent has run in it). Returns the
   * restored paths, or null on a miss.
   */
  async restore(project: ProjectRef, key: string, workspace: string): Promise<string[] | null> {
    const entryDir = this.entryDir(project, key);
    const manifest = await readManifest(entryDir, key);
    if (!manifest) return null;
    await restoreEnvironment({ workspace, entryDir, manifest });
    await excludeFromGit(workspace, manifest.paths);
    await writeMarker(workspace, { key, paths: manifest.paths });
    return manifest.paths;
  }

  private async evict(project: ProjectRef, keep: string): Promise<void> {
    const dir = this.projectDir(project);
    const keys = (await readdir(dir)).filter((name) => KEY.test(name) && name !== keep);
    if (keys.length < KEEP_ENTRIES) return;
    const aged = await Promise.all(
      keys.map(async (name) => ({ name, at: (await stat(join(dir, name))).mtimeMs })),
    );
    aged.sort((a, b) => b.at - a.at);
    for (const { name } of aged.slice(KEEP_ENTRIES - 1))
      await rm(join(dir, name), { recursive: true, force: true });
  }
}
