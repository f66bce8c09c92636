/**
 * Envelope encryption: each organisation has its own random 256-bit data key, stored only
 * wrapped by the key provider; secret values are sealed with the data key (AES-256-GCM) and
 * bound to `<org>/<name>` so a ciphertext cannot be swapped between names or organisations.
 */
import { randomBytes } from 'node:crypto';
import { open, seal } from './aes-gcm';
import { SecretsError } from './errors';
import type { KeyProvider } from './key-provider';

export interface WrappedDataKey {
  wrappedKey: string;
  keyId: string;
}

export interface Envelope {
  newDataKey(orgId: string): Promise<{ dataKey: Buffer; stored: WrappedDataKey }>;
  openDataKey(orgId: string, stored: WrappedDataKey): Promise<Buffer>;
  encrypt(dataKey: Buffer, orgId: string, name: string, value: string): string;
  decrypt(dataKey: Buffer, orgId: string, name: string, sealed: string): string;
}

export function createEnvelope(provider: KeyProvider): Envelope {
  return {
    async newDataKey(orgId) {
      const dataKey = randomBytes(32);
      return { dataKey, stored: { wrappedKey: await provider.wrap(dataKey, orgId), keyId: provider.keyId } };
    },
    async openDataKey(orgId, stored) {
      if (stored.keyId !== provider.keyId) {
        throw new SecretsError(
          'unwrap_failed',
          `data key was wrapped by ${stored.keyId}, not ${provider.keyId}`,
        );
      }
      return provider.unwrap(stored.wrappedKey, orgId);
    },
    encrypt: (dataKey, orgId, name, value) => seal(dataKey, Buffer.from(value, 'utf8'), `${orgId}/${name}`),
    decrypt(dataKey, orgId, name, sealed) {
      try {
        return open(dataKey, sealed, `${orgId}/${name}`).toString('utf8');
      } catch (error) {
        if (error instanceof SecretsError) throw error;
        throw new SecretsError('decrypt_failed', 'the secret cannot be decrypted');
      }
    },
  };
}

/** Last four characters for display, only when the value is long enough not to give it away. */
export function lastFour(value: string): string | null {
  return value.length >= 16 ? value.slice(-4) : null;
}
