/**
 * Real parts for API tests: a fresh migrated database, the local OpenID issuer, and the
 * process environment the route handlers read on first use.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type DirectoryMachineClient, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { type LocalIssuer, startLocalIssuer } from '@omakase/devstack/issuer';
import { setRepositoryResolverForTests } from '../../src/server/repository-policy';
import { type Seeded, seedDirectory } from './seed';

export const APP_BASE_URL = 'http://localhost:3000';

export interface ApiStack {
  issuer: LocalIssuer;
  issuerDataDir: string;
  database: TestDatabase;
  /** A separate connection for asserting what was (not) written. */
  storage: PostgresStorage;
  seeded: Seeded;
  /** OMAKASE_DATA_DIR of this web; `<dataDir>/repos/<demo org id>/demo-shop` is the demo's local repository. */
  dataDir: string;
  demoRepoDir: string;
  stop(): Promise<void>;
}

/** `machineClients`: M2M clients besides the demo directory's (e.g. the orchestrator's). */
export async function startApiStack(
  opts: { machineClients?: readonly DirectoryMachineClient[] } = {},
): Promise<ApiStack> {
  const issuerDataDir = await mkdtemp(join(tmpdir(), 'omakase-web-issuer-'));
  const [database, issuer] = await Promise.all([
    createTestDatabase(),
    startLocalIssuer({
      port: 0,
      appBaseUrls: [APP_BASE_URL],
      dataDir: issuerDataDir,
      machineClients: opts.machineClients,
    }),
  ]);
  Object.assign(process.env, webEnv({ databaseUrl: database.url, issuerUrl: issuer.url }));
  const storage = createStorage(database.url, { maxConnections: 2 });
  const seeded = await seedDirectory(storage);
  // Like `npm start`: the demo org (only) has its own local repository directory.
  const dataDir = await mkdtemp(join(tmpdir(), 'omakase-web-data-'));
  const demoRepoDir = join(dataDir, 'repos', seeded.orgs.org_demo!.id, 'demo-shop');
  await mkdir(demoRepoDir, { recursive: true });
  Object.assign(process.env, {
    OMAKASE_DATA_DIR: dataDir,
    OMAKASE_LOCAL_REPOSITORY_ORGS: seeded.orgs.org_demo!.id,
  });
  setRepositoryResolverForTests(async (host) => {
    const addresses = TEST_DNS[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  });
  return {
    issuer,
    issuerDataDir,
    database,
    storage,
    seeded,
    dataDir,
    demoRepoDir,
    async stop() {
      setRepositoryResolverForTests(undefined);
      await storage.close();
      await issuer.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What the in-process resolver answers: this machine resolves no public names. */
export const TEST_DNS: Record<string, string[]> = {
  'github.com': ['140.82.112.3'],
  'gitlab.com': ['172.65.251.78', '2606:4700:90:0:f22e:fbec:5bed:a9b9'],
  'git.internal-corp.example': ['10.0.0.5'],
  'split.example.com': ['93.184.215.14', '192.168.1.10'],
};

export function webEnv(opts: { databaseUrl: string; issuerUrl: string; appBaseUrl?: string }) {
  return {
    DATABASE_URL: opts.databaseUrl,
    AUTH0_DOMAIN: opts.issuerUrl,
    AUTH0_CLIENT_ID: 'omakase-web',
    AUTH0_CLIENT_SECRET: 'omakase-web-secret',
    AUTH0_SECRET: 'test-cookie-secret-0123456789abcdef0123456789',
    APP_BASE_URL: opts.appBaseUrl ?? APP_BASE_URL,
    AUTH0_AUDIENCE: 'omakase-api',
    AUTH0_ISSUER_INSECURE: 'true',
    OMAKASE_DEMO_MODE: 'true',
    API_MAX_BODY_BYTES: String(256 * 1024),
    NEXT_TELEMETRY_DISABLED: '1',
  };
}
