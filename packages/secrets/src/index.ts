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
export {
  GLOBAL_MIN_VALUE_LENGTH,
  LOG_REDACT_PATHS,
  ORG_MIN_VALUE_LENGTH,
  type OrgRedactorLimits,
  OrgRedactors,
  processRedactors,
  REDACTED,
  SecretRedactor,
} from './redact';
