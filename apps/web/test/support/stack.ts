/**
 * Real parts for API tests: a fresh migrated database, the local OpenID issuer, and the
 * process environment the route handlers read on first use.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type DirectoryMachineClient, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { type LocalIssuer, startLocalIssuer } from '@omakase/devstack/issuer';
import { type Seeded, seedDirectory } from './seed';

export const APP_BASE_URL = 'http://localhost:3000';

export interface ApiStack {
  issuer: LocalIssuer;
  issuerDataDir: string;
  database: TestDatabase;
  /** A separate connection for asserting what was (not) written. */
  storage: PostgresStorage;
  seeded: Seeded;
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
  return {
    issuer,
    issuerDataDir,
    database,
    storage,
    seeded,
    async stop() {
      await storage.close();
      await issuer.stop();
    },
  };
}

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
