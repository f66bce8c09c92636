/**
 * Opening an organisation's saved secrets on the server side (the orchestrator's runs and
 * pushes, integrations): the stored ciphertext is decrypted with the org's data key, unwrapped
 * once per process. Every value opened is registered with the process redactors, under its org.
 */
import type { Envelope, WrappedDataKey } from './envelope';
import { processRedactors } from './redact';

/** The slice of an org's secret store this needs (the db package's SecurityStore.secrets fits). */
export interface OrgSecretSource {
  get(name: string): Promise<{ ciphertext: string } | null>;
  dataKey(): Promise<WrappedDataKey | null>;
}

export interface OrgSecretReader {
  /** The plaintext of the org's secret `name`, or null when the org has not saved one. */
  reveal(orgId: string, name: string): Promise<string | null>;
}

export function createOrgSecretReader(
  envelope: Envelope,
  sourceFor: (orgId: string) => OrgSecretSource,
): OrgSecretReader {
  const dataKeys = new Map<string, Promise<Buffer>>();
  const dataKeyFor = (orgId: string, stored: WrappedDataKey) => {
    let key = dataKeys.get(orgId);
    if (!key) {
      key = envelope.openDataKey(orgId, stored);
      key.catch(() => dataKeys.delete(orgId));
      dataKeys.set(orgId, key);
    }
    return key;
  };
  return {
    async reveal(orgId, name) {
      const source = sourceFor(orgId);
      const sealed = await source.get(name);
      if (!sealed) return null;
      const stored = await source.dataKey();
      if (!stored) return null; // a ciphertext without its data key cannot be opened by anyone
      const value = envelope.decrypt(await dataKeyFor(orgId, stored), orgId, name, sealed.ciphertext);
      processRedactors().set(orgId, name, value);
      return value;
    },
  };
}
