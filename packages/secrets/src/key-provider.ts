/**
 * Wraps and unwraps per-organisation data keys. The master key never leaves its provider:
 * locally it comes from `OMAKASE_MASTER_KEY` (32 bytes, base64); in the cloud an AWS KMS key
 * implements the same interface (`Encrypt`/`Decrypt` with the org id as encryption context).
 */

import { open, seal } from './aes-gcm';
import { SecretsError } from './errors';

export interface KeyProvider {
  /** Identifies the wrapping key, stored next to each wrapped data key (rotation needs it). */
  readonly keyId: string;
  wrap(dataKey: Buffer, context: string): Promise<string>;
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

export function parseMasterKey(value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) {
    throw new SecretsError('bad_master_key', 'OMAKASE_MASTER_KEY must be 32 bytes, base64-encoded');
  }
  return key;
}

/** AES-256-GCM key wrapping with a master key held in memory; the context is bound as AAD. */
export function localKeyProvider(masterKeyBase64: string, keyId = 'local-v1'): KeyProvider {
  const master = parseMasterKey(masterKeyBase64);
  return {
    keyId,
    wrap: async (dataKey, context) => seal(master, dataKey, context),
    unwrap: async (wrapped, context) => {
      try {
        return open(master, wrapped, context);
      } catch {
        throw new SecretsError('unwrap_failed', 'the data key cannot be unwrapped with this master key');
      }
    },
  };
}

/** The slice of `@aws-sdk/client-kms` we use, so the KMS provider needs no SDK at compile time. */
export interface KmsClientLike {
  encrypt(input: {
    KeyId: string;
    Plaintext: Uint8Array;
    EncryptionContext: Record<string, string>;
  }): Promise<{ CiphertextBlob?: Uint8Array }>;
  decrypt(input: {
    KeyId: string;
    CiphertextBlob: Uint8Array;
    EncryptionContext: Record<string, string>;
  }): Promise<{ Plaintext?: Uint8Array }>;
}

export function kmsKeyProvider(client: KmsClientLike, kmsKeyId: string): KeyProvider {
  return {
    keyId: `kms:${kmsKeyId}`,
    async wrap(dataKey, context) {
      const out = await client.encrypt({
        KeyId: kmsKeyId,
        Plaintext: dataKey,
        EncryptionContext: { org: context },
      });
      if (!out.CiphertextBlob) throw new SecretsError('unwrap_failed', 'KMS returned no ciphertext');
      return Buffer.from(out.CiphertextBlob).toString('base64');
    },
    async unwrap(wrapped, context) {
      const out = await client.decrypt({
        KeyId: kmsKeyId,
        CiphertextBlob: Buffer.from(wrapped, 'base64'),
        EncryptionContext: { org: context },
      });
      if (!out.Plaintext) throw new SecretsError('unwrap_failed', 'KMS returned no plaintext');
      return Buffer.from(out.Plaintext);
    },
  };
}
