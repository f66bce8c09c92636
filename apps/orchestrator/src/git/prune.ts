/**
 * Removes workspaces nobody will run in again: those of features that are done (their branch is
 * pushed) or no longer exist, and half-seeded `.seeding-*` directories a crash left. Run at
 * start-up, for checkouts a crash or a failed removal left behind; the push handler removes a
 * done feature's workspace as it goes.
 */
import { readdir, rm } from 'node:fs/promises';
import { type FeatureId, isId, type OrgId, type Storage } from '@omakase/domain';
import type { Logger } from 'pino';
import type { Workspaces } from './publish';

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return []; // no workspaces yet
  }
}

/** Returns how many workspaces were removed. Unknown directory names are left alone. */
export async function pruneWorkspaces(
  root: string,
  storage: Storage,
  workspaces: Pick<Workspaces, 'remove'>,
  logger: Logger,
): Promise<number> {
  let removed = 0;
  for (const orgId of await entries(root)) {
    if (!isId('org', orgId)) continue;
    const store = storage.forOrg(orgId as OrgId);
    for (const featureId of await entries(`${root}/${orgId}`)) {
      if (featureId.startsWith('.seeding-')) {
        await rm(`${root}/${orgId}/${featureId}`, { recursive: true, force: true });
        continue;
      }
      if (!isId('feat', featureId)) continue;
      const feature = await store.features.get(featureId as FeatureId);
      if (feature && feature.status !== 'done') continue;
      await workspaces.remove({ orgId: orgId as OrgId, id: featureId as FeatureId });
      removed++;
    }
  }
  if (removed > 0) logger.info({ removed }, 'removed the workspaces of finished or deleted features');
  return removed;
}
