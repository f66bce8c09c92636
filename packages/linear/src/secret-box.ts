/**
 * Seals tokens at rest. A tiny interface so the org-scoped envelope encryption of
 * `@omakase/secrets` (data keys per org) can replace the single-key box without touching callers.
 */
import { open, parseMasterKey, seal } from '@omakase/secrets';

export interface SecretBox {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

/** AES-256-GCM under one key (`OMAKASE_MASTER_KEY`); `context` (e.g. `org_x/linear/access`) is bound as AAD. */
export function aesGcmSecretBox(masterKey: string): SecretBox {
  const key = parseMasterKey(masterKey);
  return {
    seal: async (plaintext, context) => seal(key, Buffer.from(plaintext, 'utf8'), context),
    open: async (sealed, context) => open(key, sealed, context).toString('utf8'),
  };
}
