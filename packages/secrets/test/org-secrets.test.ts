import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEnvelope,
  createOrgSecretReader,
  localKeyProvider,
  type OrgSecretSource,
  processRedactors,
  type WrappedDataKey,
} from '../src/index';

/** What an org's secret table holds: sealed values and the wrapped data key. */
async function savedSecrets(
  envelope: ReturnType<typeof createEnvelope>,
  orgId: string,
  values: Record<string, string>,
) {
  const { dataKey, stored } = await envelope.newDataKey(orgId);
  const sealed = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, envelope.encrypt(dataKey, orgId, name, value)]),
  );
  let dataKeyReads = 0;
  const source: OrgSecretSource = {
    get: async (name) => (sealed[name] ? { ciphertext: sealed[name] } : null),
    dataKey: async (): Promise<WrappedDataKey> => {
      dataKeyReads++;
      return stored;
    },
  };
  return { source, sealed, dataKeyReads: () => dataKeyReads };
}

describe('org secret reader', () => {
  it("opens an org's saved secret, null when it has none, and registers the value for redaction", async () => {
    const envelope = createEnvelope(localKeyProvider(randomBytes(32).toString('base64')));
    const org = await savedSecrets(envelope, 'org_a', { github_token: 'ghp_reader_test_value_0001' });
    const reader = createOrgSecretReader(envelope, () => org.source);
    expect(await reader.reveal('org_a', 'github_token')).toBe('ghp_reader_test_value_0001');
    expect(await reader.reveal('org_a', 'anthropic_api_key')).toBeNull();
    expect(processRedactors().forOrg('org_a').redactString('token ghp_reader_test_value_0001')).toBe(
      'token [REDACTED]',
    );
    expect(processRedactors().forOrg('org_b').redactString('token ghp_reader_test_value_0001')).toBe(
      'token ghp_reader_test_value_0001',
    );
  });

  it("cannot open one org's ciphertext as another org's", async () => {
    const envelope = createEnvelope(localKeyProvider(randomBytes(32).toString('base64')));
    const a = await savedSecrets(envelope, 'org_a', { github_token: 'ghp_reader_test_value_0002' });
    const reader = createOrgSecretReader(envelope, () => a.source);
    await expect(reader.reveal('org_b', 'github_token')).rejects.toMatchObject({ code: 'unwrap_failed' });
  });
});
