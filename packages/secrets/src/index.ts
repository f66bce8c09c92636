export { open, seal } from './aes-gcm';
export { createEnvelope, type Envelope, lastFour, type WrappedDataKey } from './envelope';
export { SecretsError, type SecretsErrorCode } from './errors';
export {
  type KeyProvider,
  type KmsClientLike,
  kmsKeyProvider,
  localKeyProvider,
  parseMasterKey,
} from './key-provider';
export { createOrgSecretReader, type OrgSecretReader, type OrgSecretSource } from './org-secrets';
export { LOG_REDACT_PATHS, processRedactor, REDACTED, SecretRedactor } from './redact';
