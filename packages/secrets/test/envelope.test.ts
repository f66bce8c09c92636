import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  createEnvelope,
  type KmsClientLike,
  kmsKeyProvider,
  LOG_REDACT_PATHS,
  lastFour,
  localKeyProvider,
  SecretRedactor,
  SecretsError,
} from '../src/index';

const masterKey = () => randomBytes(32).toString('base64');

describe('envelope encryption', () => {
  it('round-trips a secret through a per-org data key wrapped by the master key', async () => {
    const envelope = createEnvelope(localKeyProvider(masterKey()));
    const { dataKey, stored } = await envelope.newDataKey('org_a');
    expect(stored.wrappedKey).not.toContain(dataKey.toString('base64'));
    const sealed = envelope.encrypt(dataKey, 'org_a', 'linear', 'lin_api_0123456789abcdef');
    expect(sealed).not.toContain('lin_api');
    const reopened = await envelope.openDataKey('org_a', stored);
    expect(envelope.decrypt(reopened, 'org_a', 'linear', sealed)).toBe('lin_api_0123456789abcdef');
  });

  it('refuses another master key, another org context, a swapped name and a flipped byte', async () => {
    const envelope = createEnvelope(localKeyProvider(masterKey()));
    const { dataKey, stored } = await envelope.newDataKey('org_a');
    await expect(createEnvelope(localKeyProvider(masterKey())).openDataKey('org_a', stored)).rejects.toThrow(
      SecretsError,
    );
    await expect(envelope.openDataKey('org_b', stored)).rejects.toMatchObject({ code: 'unwrap_failed' });
    const sealed = envelope.encrypt(dataKey, 'org_a', 'linear', 'value-123456789');
    expect(() => envelope.decrypt(dataKey, 'org_a', 'github', sealed)).toThrow(SecretsError);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`;
    expect(() => envelope.decrypt(dataKey, 'org_a', 'linear', tampered)).toThrow(SecretsError);
  });

  it('rejects master keys that are not 32 bytes', () => {
    expect(() => localKeyProvider(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('wraps through KMS with the org as encryption context', async () => {
    const local = localKeyProvider(masterKey());
    const calls: Record<string, string>[] = [];
    const kms: KmsClientLike = {
      encrypt: async (i) => {
        calls.push(i.EncryptionContext);
        return {
          CiphertextBlob: Buffer.from(await local.wrap(Buffer.from(i.Plaintext), i.EncryptionContext.org!)),
        };
      },
      decrypt: async (i) => ({
        Plaintext: await local.unwrap(Buffer.from(i.CiphertextBlob).toString(), i.EncryptionContext.org!),
      }),
    };
    const envelope = createEnvelope(kmsKeyProvider(kms, 'alias/omakase'));
    const { dataKey, stored } = await envelope.newDataKey('org_k');
    expect(stored.keyId).toBe('kms:alias/omakase');
    expect((await envelope.openDataKey('org_k', stored)).equals(dataKey)).toBe(true);
    expect(calls).toEqual([{ org: 'org_k' }]);
  });

  it('shows last four characters only for long values', () => {
    expect(lastFour('short')).toBeNull();
    expect(lastFour('ghp_0123456789abcdefWXYZ')).toBe('WXYZ');
  });
});

describe('redaction', () => {
  it('replaces known values anywhere in nested data and strings', () => {
    const redactor = new SecretRedactor();
    redactor.add('sk-ant-plantedsecret42');
    const out = redactor.redact({
      a: ['x sk-ant-plantedsecret42 y'],
      b: { c: 'sk-ant-plantedsecret42' },
      n: 3,
    });
    expect(JSON.stringify(out)).not.toContain('plantedsecret42');
    expect(out.n).toBe(3);
  });

  it('keeps credentials out of pino lines by path and by value', () => {
    const lines: string[] = [];
    const redactor = new SecretRedactor();
    redactor.add('planted-value-0123456789');
    const log = pino(
      {
        redact: LOG_REDACT_PATHS,
        formatters: { log: (o) => redactor.redact(o) },
        hooks: {
          logMethod(args, method) {
            method.apply(this, redactor.redact(args) as typeof args);
          },
        },
      },
      { write: (line: string) => lines.push(line) },
    );
    log.info({ headers: { authorization: 'Bearer abc.def' }, token: 'tkn-123456789' }, 'call');
    log.info({ note: 'saw planted-value-0123456789 here' }, 'planted-value-0123456789 in message');
    const all = lines.join('\n');
    expect(all).not.toMatch(/abc\.def|tkn-123456789|planted-value/);
    expect(lines).toHaveLength(2);
  });
});
