/** Mirrors the local identity directory into a test database, plus a `demo-shop` project. */
import { DEMO_DIRECTORY } from '@omakase/db';
import type { Feature, Organization, Project, Storage } from '@omakase/domain';

export interface Seeded {
  orgs: Record<string, Organization>;
  shop: Project;
  shopFeatures: Feature[];
  otherProject: Project;
  otherFeature: Feature;
}

export async function seedDirectory(storage: Storage): Promise<Seeded> {
  const orgs: Record<string, Organization> = {};
  for (const org of DEMO_DIRECTORY.orgs) {
    orgs[org.externalId] = await storage.organizations.create({ name: org.name, externalId: org.externalId });
  }
  for (const user of DEMO_DIRECTORY.users) {
    for (const m of user.memberships) {
      await storage
        .forOrg(orgs[m.org]!.id)
        .members.add({ userId: user.sub, email: user.email, name: user.name, role: m.role });
    }
  }
  const demo = storage.forOrg(orgs.org_demo!.id);
  const shop = await demo.projects.create({
    name: 'demo-shop',
    keyPrefix: 'SHOP',
    repositoryUrl: 'https://github.com/omakase/demo-shop.git',
  });
  const cart = await demo.features.create(shop.id, {
    title: 'Shopping cart',
    category: 'frontend',
    priority: 2,
  });
  const checkout = await demo.features.create(shop.id, {
    title: 'Checkout',
    category: 'backend',
    priority: 1,
    dependsOn: [cart.id],
  });
  const other = storage.forOrg(orgs.org_other!.id);
  const otherProject = await other.projects.create({
    name: 'secret',
    keyPrefix: 'SEC',
    repositoryUrl: 'https://github.com/other/secret.git',
  });
  const otherFeature = await other.features.create(otherProject.id, { title: 'Hidden' });
  return { orgs, shop, shopFeatures: [cart, checkout], otherProject, otherFeature };
}
