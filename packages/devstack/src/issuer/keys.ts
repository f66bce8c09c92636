/**
 * Signing keys and cookie secrets for the local issuer, persisted in `dataDir` so that tokens
 * and sessions issued before a restart stay valid after it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';

const StoredKeys = z.object({
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }),
  cookieKeys: z.array(z.string().min(16)).min(1),
});
export type IssuerKeys = { jwks: { keys: JWK[] }; cookieKeys: string[] };

const FILE = 'issuer-keys.json';

export async function loadOrCreateKeys(dataDir: string): Promise<IssuerKeys> {
  const path = join(dataDir, FILE);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return StoredKeys.parse(JSON.parse(existing)) as IssuerKeys;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const keys: IssuerKeys = { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString('hex')] };
  await mkdir(dataDir, { recursive: true });
  // Write-then-rename so a crash never leaves a half-written key file behind.
  await writeFile(`${path}.tmp`, JSON.stringify(keys), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return keys;
}
