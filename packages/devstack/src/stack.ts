/**
 * Boots the local stack in dependency order: database, migrations, demo data, identity
 * provider, then the long-running services. Everything started is registered for shutdown.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as db from '@omakase/db';
import { createDemoRepository } from '@omakase/demo-repo';
import type { OrgId } from '@omakase/domain';
import type { DevstackConfig } from './env';
import { startLocalIssuer, storageMemberships, WEB_CLIENT } from './issuer';
import { startEmbeddedPostgres } from './postgres';
import { demoRepoPath, LOCAL_ORCHESTRATOR_CLIENT_ID, serviceSpecs, webBuildEnv } from './services';
import type { Supervisor } from './supervisor';
import { ensureWebBuild } from './web-build';

export interface RunningStack {
  databaseUrl: string;
  issuerUrl?: string;
  /** Stops what bootStack started itself (children are the supervisor's). */
  stop(): Promise<void>;
}

type SeedDemo = (
  storage: db.PostgresStorage,
  opts: { repositoryPathFor: (orgId: OrgId) => string },
) => Promise<{ orgIds?: Record<string, OrgId> }>;

/**
 * Creates each demo org's repository when missing, and moves projects of data dirs from before
 * per-org repositories (all on `<data>/repos/demo-shop`) onto their org's copy.
 */
async function ensureDemoRepositories(
  config: DevstackConfig,
  storage: db.PostgresStorage,
  orgIds: readonly OrgId[],
  say: (line: string) => void,
): Promise<void> {
  const legacyUrl = `file://${join(config.dataDir, 'repos', 'demo-shop')}`;
  for (const orgId of orgIds) {
    const path = demoRepoPath(config, orgId);
    if (!existsSync(join(path, '.git'))) {
      await rm(path, { recursive: true, force: true }); // a half-written copy from an interrupted run
      await createDemoRepository(path);
      say(`demo repository created at ${path}`);
    }
    const store = storage.forOrg(orgId);
    for (const project of await store.projects.list()) {
      if (project.repositoryUrl === legacyUrl)
        await store.projects.update(project.id, { repositoryUrl: `file://${path}` });
    }
  }
}

export async function bootStack(
  repoRoot: string,
  config: DevstackConfig,
  supervisor: Supervisor,
): Promise<RunningStack> {
  const say = (line: string) => supervisor.log('stack', line);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn().catch((e: Error) => say(`shutdown: ${e.message}`));
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      say(`starting embedded Postgres (data in ${join(config.dataDir, 'postgres')})`);
      const pg = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'postgres'),
        port: config.POSTGRES_PORT,
      });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    await db.migrate(databaseUrl);
    say('database migrated');

    // seedDemo is idempotent; it may not be exported yet while @omakase/db is being built.
    const seedDemo = (db as unknown as { seedDemo?: SeedDemo }).seedDemo;
    let demoOrgIds: OrgId[] = [];
    if (seedDemo) {
      const storage = db.createStorage(databaseUrl, { maxConnections: 2 });
      try {
        const { orgIds } = await seedDemo(storage, {
          repositoryPathFor: (orgId) => demoRepoPath(config, orgId),
        });
        demoOrgIds = Object.values(orgIds ?? {});
        await ensureDemoRepositories(config, storage, demoOrgIds, say);
      } finally {
        await storage.close();
      }
      say('demo data seeded');
    } else {
      say('warning: @omakase/db exports no seedDemo yet; starting without demo data');
    }

    let issuerUrl: string | undefined;
    if (!config.externalAuth) {
      // Memberships come from the database: invitations and role changes apply at the next login.
      const directoryStorage = db.createStorage(databaseUrl, { maxConnections: 2 });
      stops.push(() => directoryStorage.close());
      const issuer = await startLocalIssuer({
        memberships: storageMemberships(directoryStorage),
        port: config.ISSUER_PORT,
        appBaseUrls: [config.appBaseUrl],
        dataDir: join(config.dataDir, 'issuer'),
        audience: config.AUTH0_AUDIENCE,
        // The orchestrator asks the API for run tokens with this client (`runs:mint`, no org).
        machineClients: [
          {
            clientId: LOCAL_ORCHESTRATOR_CLIENT_ID,
            clientSecret: config.LOCAL_ORCHESTRATOR_SECRET,
            permissions: ['runs:mint'],
          },
        ],
      });
      stops.push(issuer.stop);
      issuerUrl = issuer.url;
      say(`local identity provider at ${issuer.url}`);
    }

    await ensureWebBuild({
      repoRoot,
      distDir: '.next',
      env: webBuildEnv(),
      onBuild: (reason) => say(`building the web app (${reason}); this takes ~60 s`),
      log: (line) => supervisor.log('web build', line),
    });

    const endpoints = {
      databaseUrl,
      auth0Domain: config.AUTH0_DOMAIN ?? (issuerUrl as string),
      auth0ClientId: config.AUTH0_CLIENT_ID ?? WEB_CLIENT.id,
      auth0ClientSecret: config.AUTH0_CLIENT_SECRET ?? WEB_CLIENT.secret,
      demoOrgIds,
    };
    for (const spec of serviceSpecs(repoRoot, config, endpoints)) supervisor.start(spec);
    return { databaseUrl, issuerUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
