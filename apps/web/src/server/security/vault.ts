/**
 * Secrets at rest: values are sealed with the org's data key (wrapped by OMAKASE_MASTER_KEY, or
 * KMS behind the same interface) and never leave the server. Every value this process saves or
 * opens is registered under its org with the process redactors: that org's run events and
 * results are scrubbed of it, and the process log too. A rotated or deleted value is dropped.
 */
import type { OrgId, SecretMetadata } from '@omakase/domain';
import {
  createEnvelope,
  type Envelope,
  lastFour,
  localKeyProvider,
  processRedactors,
} from '@omakase/secrets';
import { ApiError } from '../api-error';
import { env } from '../env';
import { securityStorage } from './store';

let envelope: Envelope | undefined;
const dataKeys = new Map<OrgId, Buffer>();
/** How long an org's full set of values is trusted before it is re-read (rotations by other instances). */
const REDACTION_REFRESH_MS = 30_000;

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
  const saved = await securityStorage()
    .forOrg(orgId)
    .secrets.put({ name: input.name, ciphertext, last4: lastFour(input.value), updatedBy: actor }, { actor });
  // A rotation replaces the name's old value: it is no longer redacted.
  processRedactors().set(orgId, input.name, input.value);
  return saved;
}

export async function deleteSecret(orgId: OrgId, name: string, actor: string): Promise<boolean> {
  const deleted = await securityStorage().forOrg(orgId).secrets.delete(name, { actor });
  processRedactors().drop(orgId, name);
  return deleted;
}

/** For server-side consumers (integrations, runner env): the plaintext, registered for redaction. */
export async function revealSecret(orgId: OrgId, name: string): Promise<string | null> {
  const stored = await securityStorage().forOrg(orgId).secrets.get(name);
  if (!stored) return null;
  const value = currentEnvelope().decrypt(await dataKeyFor(orgId), orgId, name, stored.ciphertext);
  processRedactors().set(orgId, name, value);
  return value;
}

/**
 * Reads an org's saved values into its redactor before its events are stored: once, then again
 * when the set is older than REDACTION_REFRESH_MS or was evicted (values rotated or deleted
 * elsewhere are dropped then).
 */
export async function ensureOrgRedaction(orgId: OrgId): Promise<void> {
  if (!env().OMAKASE_MASTER_KEY) return;
  const loadedAt = processRedactors().loadedAt(orgId);
  if (loadedAt !== undefined && Date.now() - loadedAt < REDACTION_REFRESH_MS) return;
  const startedAt = Date.now();
  const store = securityStorage().forOrg(orgId).secrets;
  const values: [string, string][] = [];
  for (const meta of await store.list()) {
    const stored = await store.get(meta.name);
    if (stored)
      values.push([
        meta.name,
        currentEnvelope().decrypt(await dataKeyFor(orgId), orgId, meta.name, stored.ciphertext),
      ]);
  }
  processRedactors().replace(orgId, values, startedAt);
}
