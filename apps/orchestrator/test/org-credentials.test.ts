/**
 * Per-org credentials on real Postgres: an org's saved GitHub token and Anthropic key are what
 * the orchestrator uses for it; orgs that saved none get the deployment's (environment) values
 * only when the operator lists them (OMAKASE_FALLBACK_CREDENTIAL_ORGS).
 */
import { randomBytes } from 'node:crypto';
import { createSecurityStorage, createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { OrgId, SecurityStorage } from '@omakase/domain';
import { createEnvelope, createOrgSecretReader, localKeyProvider } from '@omakase/secrets';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orgCredentials } from '../src/org-credentials';
import { saveOrgSecret } from './support-secrets';

let db: TestDatabase;
let storage: PostgresStorage;
let security: SecurityStorage;
const envelope = createEnvelope(localKeyProvider(randomBytes(32).toString('base64')));

beforeAll(async () => {
  db = await createTestDatabase();
  storage = createStorage(db.url);
  security = createSecurityStorage(db.url);
});
afterAll(async () => {
  await security?.close();
  await storage?.close();
  await db?.drop();
});

it("uses the org's saved credentials and the deployment's only for listed orgs without", async () => {
  const withOwn = await storage.organizations.create({ name: 'Own', externalId: `org_own_${db.name}` });
  const without = await storage.organizations.create({ name: 'None', externalId: `org_none_${db.name}` });
  await saveOrgSecret(security, envelope, withOwn.id, 'github_token', 'ghp_org_own_token_0123456789');
  await saveOrgSecret(security, envelope, withOwn.id, 'anthropic_api_key', 'sk-ant-org-own-0123456789');
  const credentials = orgCredentials({
    reader: createOrgSecretReader(envelope, (orgId) => security.forOrg(orgId as OrgId).secrets),
    fallback: { githubToken: 'ghs_deployment_token', anthropicApiKey: 'sk-ant-deployment' },
    fallbackOrgs: new Set([without.id, withOwn.id]),
  });
  expect((await credentials.github(withOwn.id))?.token).toBe('ghp_org_own_token_0123456789');
  expect(await credentials.anthropicApiKey(withOwn.id)).toBe('sk-ant-org-own-0123456789');
  expect((await credentials.github(without.id))?.token).toBe('ghs_deployment_token');
  expect(await credentials.anthropicApiKey(without.id)).toBe('sk-ant-deployment');

  const noFallback = orgCredentials({
    reader: createOrgSecretReader(envelope, (orgId) => security.forOrg(orgId as OrgId).secrets),
    fallback: {},
  });
  expect(await noFallback.github(without.id)).toBeNull();
  expect(await noFallback.anthropicApiKey(without.id)).toBeUndefined();
});

it('gives an org the operator did not list no fallback credentials, even with a deployment key', async () => {
  const listed = await storage.organizations.create({ name: 'Listed', externalId: `org_listed_${db.name}` });
  const unlisted = await storage.organizations.create({ name: 'Other', externalId: `org_unl_${db.name}` });
  await saveOrgSecret(security, envelope, unlisted.id, 'anthropic_api_key', 'sk-ant-unlisted-own-0123456789');
  const fallback = { githubToken: 'ghs_deployment_token', anthropicApiKey: 'sk-ant-deployment' };
  const reader = createOrgSecretReader(envelope, (orgId) => security.forOrg(orgId as OrgId).secrets);
  const credentials = orgCredentials({ reader, fallback, fallbackOrgs: new Set([listed.id]) });
  expect(await credentials.anthropicApiKey(listed.id)).toBe('sk-ant-deployment');
  expect((await credentials.github(listed.id))?.token).toBe('ghs_deployment_token');
  // Unlisted: its own key only, and no token at all (it pushes without one, opens no pull request).
  expect(await credentials.anthropicApiKey(unlisted.id)).toBe('sk-ant-unlisted-own-0123456789');
  expect(await credentials.github(unlisted.id)).toBeNull();
  // Unset (the default): nobody gets the deployment's.
  const unset = orgCredentials({ reader, fallback });
  expect(await unset.anthropicApiKey(listed.id)).toBeUndefined();
  expect(await unset.github(listed.id)).toBeNull();
});
