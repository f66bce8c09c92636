/** Saving an org's secret the way the web's vault does (sealed with the org's data key). */
import type { OrgId, SecurityStorage } from '@omakase/domain';
import { type Envelope, lastFour } from '@omakase/secrets';

export async function saveOrgSecret(
  security: SecurityStorage,
  envelope: Envelope,
  orgId: OrgId,
  name: string,
  value: string,
): Promise<void> {
  const store = security.forOrg(orgId).secrets;
  const stored =
    (await store.dataKey()) ?? (await store.ensureDataKey((await envelope.newDataKey(orgId)).stored));
  const dataKey = await envelope.openDataKey(orgId, stored);
  const ciphertext = envelope.encrypt(dataKey, orgId, name, value);
  await store.put({ name, ciphertext, last4: lastFour(value), updatedBy: 'test' }, { actor: 'test' });
}
