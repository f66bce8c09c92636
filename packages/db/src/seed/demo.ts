import type { FeatureId, OrgId, Storage, TenantStore } from '@omakase/domain';
import { DEMO_SHOP_FEATURES, OTHER_API_FEATURES, SANDBOX_FEATURES, type SeedFeature } from './demo-data';
import { DEMO_DIRECTORY } from './directory';

export interface SeedDemoOptions {
  /**
   * Absolute path of an org's own copy of the demo git repository (becomes `file://<path>`): each
   * org has its own, since a local repository is only allowed inside its org's directory.
   */
  repositoryPathFor: (orgId: OrgId) => string;
}

export interface SeedDemoResult {
  /** False when the demo org already existed and nothing was written. */
  seeded: boolean;
  orgIds: Record<string, OrgId>;
}

const COMMAND_ALLOWLIST = [
  'npm test',
  'npm run build',
  'node',
  'git status',
  'git diff',
  'git log',
  'ls',
  'cat',
];

const PROJECTS: Record<string, { name: string; keyPrefix: string; features: SeedFeature[] }> = {
  org_demo: { name: 'demo-shop', keyPrefix: 'DEMO', features: DEMO_SHOP_FEATURES },
  org_other: { name: 'other-api', keyPrefix: 'OTH', features: OTHER_API_FEATURES },
  org_sandbox: { name: 'sandbox', keyPrefix: 'SBX', features: SANDBOX_FEATURES },
};

/**
 * Mirrors the local identity directory into the database and adds demo projects and features.
 * Idempotent: does nothing when the demo organisation already exists.
 */
export async function seedDemo(storage: Storage, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const orgIds: Record<string, OrgId> = {};
  const existing = await storage.organizations.findByExternalId('org_demo');
  if (existing) {
    for (const org of DEMO_DIRECTORY.orgs) {
      const found = await storage.organizations.findByExternalId(org.externalId);
      if (found) orgIds[org.externalId] = found.id;
    }
    return { seeded: false, orgIds };
  }

  // The demo org is created last so a crash midway leaves the seed re-runnable.
  const ordered = [
    ...DEMO_DIRECTORY.orgs.filter((o) => o.externalId !== 'org_demo'),
    ...DEMO_DIRECTORY.orgs.filter((o) => o.externalId === 'org_demo'),
  ];
  for (const dirOrg of ordered) {
    const org =
      (await storage.organizations.findByExternalId(dirOrg.externalId)) ??
      (await storage.organizations.create({ name: dirOrg.name, externalId: dirOrg.externalId }));
    orgIds[dirOrg.externalId] = org.id;
    const store = storage.forOrg(org.id);
    await store.transaction(async (tx) => {
      await addMembers(tx, dirOrg.externalId);
      const project = PROJECTS[dirOrg.externalId];
      if (project) await addProject(tx, project, opts.repositoryPathFor(org.id));
    });
  }
  return { seeded: true, orgIds };
}

async function addMembers(store: TenantStore, externalId: string): Promise<void> {
  for (const user of DEMO_DIRECTORY.users) {
    const membership = user.memberships.find((m) => m.org === externalId);
    if (!membership || (await store.members.getByUserId(user.sub))) continue;
    await store.members.add({ userId: user.sub, email: user.email, name: user.name, role: membership.role });
  }
}

async function addProject(
  store: TenantStore,
  spec: { name: string; keyPrefix: string; features: SeedFeature[] },
  repositoryPath: string,
): Promise<void> {
  if ((await store.projects.list()).some((p) => p.name === spec.name)) return;
  const project = await store.projects.create({
    name: spec.name,
    keyPrefix: spec.keyPrefix,
    // Every seeded project points at its org's copy of the demo repository: agents always have a real repo.
    repositoryUrl: `file://${repositoryPath}`,
    defaultBranch: 'main',
    settings: { maxConcurrentAgents: 2, budgetPerFeatureUsd: 5, commandAllowlist: COMMAND_ALLOWLIST },
  });
  // Paused: agents start when someone starts a feature or the whole project, not on first boot.
  await store.projects.update(project.id, { status: 'paused' });
  // Features are listed so that dependencies always come first.
  const ids = new Map<string, FeatureId>();
  for (const feature of spec.features) {
    const created = await store.features.create(project.id, {
      title: feature.title,
      description: feature.description,
      acceptanceCriteria: feature.acceptanceCriteria,
      category: feature.category,
      priority: feature.priority,
      dependsOn: (feature.dependsOn ?? []).map((ref) => ids.get(ref)!),
    });
    ids.set(feature.ref, created.id);
  }
}
