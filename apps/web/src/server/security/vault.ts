/**
 * Secrets at rest: values are sealed with the org's data key (wrapped by OMAKASE_MASTER_KEY, or
 * KMS behind the same interface) and never leave the server. Every value this process saves or
 * opens is registered with the process redactor, which scrubs logs and run events.
 */
import type { OrgId, SecretMetadata } from '@omakase/domain';
import { createEnvelope, type Envelope, lastFour, localKeyProvider, processRedactor } from '@omakase/secrets';
import { ApiError } from '../api-error';
import { env } from '../env';
import { securityStorage } from './store';

let envelope: Envelope | undefined;
const dataKeys = new Map<OrgId, Buffer>();
const loadedOrgs = new Set<OrgId>();

function currentEnvelope(): Envelope {
  const masterKey = env().OMAKASE_MASTER_KEY;
  if (!masterKey) throw new ApiError('unavailable', 'secrets are not configured (OMAKASE_MASTER_KEY)');
  envelope ??= createEnvelope(localKeyProvider(masterKey));
  return envelope;
}

async function dataKeyFor(orgId: OrgId): Promise<Buffer> {
  const cached = dataKeys.get(orgId);
  if (cached) return cached;
  const store = securityStorage().forOrg(orgId).secrets;
  const env = currentEnvelope();
  let stored = await store.dataKey();
  if (!stored) stored = await store.ensureDataKey((await env.newDataKey(orgId)).stored);
  const key = await env.openDataKey(orgId, stored);
  dataKeys.set(orgId, key);
  return key;
}

export async function saveSecret(
  orgId: OrgId,
  input: { name: string; value: string },
  actor: string,
): Promise<SecretMetadata> {
  const key = await dataKeyFor(orgId);
  const ciphertext = currentEnvelope().encrypt(key, orgId, input.name, input.value);
  processRedactor().add(input.value);
  return securityStorage()
    .forOrg(orgId)
    .secrets.put({ name: input.name, ciphertext, last4: lastFour(input.value), updatedBy: actor }, { actor });
}

/** For server-side consumers (integrations, runner env): the plaintext, registered for redaction. */
export async function revealSecret(orgId: OrgId, name: string): Promise<string | null> {
  const stored = await securityStorage().forOrg(orgId).secrets.get(name);
  if (!stored) return null;
  const value = currentEnvelope().decrypt(await dataKeyFor(orgId), orgId, name, stored.ciphertext);
  processRedactor().add(value);
  return value;
}

/** Loads an org's secret values into the redactor once per process (before its events are stored). */
export async function ensureOrgRedaction(orgId: OrgId): Promise<void> {
  if (loadedOrgs.has(orgId) || !env().OMAKASE_MASTER_KEY) return;
  for (const meta of await securityStorage().forOrg(orgId).secrets.list())
    await revealSecret(orgId, meta.name);
  loadedOrgs.add(orgId);
}
