export { credentialsFor, REFRESH_MARGIN_MS, secretContext } from './connection';
export { LINEAR_ERROR_CODES, type LinearErrorCode, LinearIntegrationError } from './errors';
export {
  createLinearGateway,
  type GatewayOptions,
  type LinearGateway,
  translateLinearError,
} from './gateway';
export { acceptanceCriteriaOf, type FeatureFields, featureFieldsOf, isForAgents } from './mapping';
export {
  authorizeUrl,
  exchangeCode,
  LINEAR_SCOPES,
  type OAuthApp,
  refreshTokens,
  revokeToken,
  type TokenSet,
} from './oauth';
export {
  LINEAR_INBOX_WORK,
  LINEAR_WEBHOOK_MAX_BYTES,
  type ReceiveDeps,
  receiveLinearWebhook,
} from './receive';
export {
  backoffDelay,
  DEFAULT_RETRY,
  type RateLimitState,
  type RetryPolicy,
  readRateLimit,
  withRetry,
} from './retry';
export { aesGcmSecretBox, type SecretBox } from './secret-box';
export type * from './types';
export { linearDeliveryId, peekOrganizationId, type VerifiedDelivery, verifyWebhook } from './webhooks';
