export { createChangeFeed } from './changes';
export { type Database, type DatabaseOptions, type DatabaseSource, openDatabase } from './database';
export { STORAGE_ERROR_CODES, StorageError, type StorageErrorCode } from './errors';
export { MIGRATIONS_FOLDER, migrate } from './migrate';
export * as schema from './schema';
export * from './schema';
export { type SeedDemoOptions, type SeedDemoResult, seedDemo } from './seed/demo';
export { DEMO_SHOP_FEATURES, OTHER_API_FEATURES, SANDBOX_FEATURES, type SeedFeature } from './seed/demo-data';
export type { DirectoryMachineClient, DirectoryOrg, DirectoryUser } from './seed/directory';
export { DEMO_DIRECTORY, DEMO_PASSWORD } from './seed/directory';
export { createStorage, type PostgresStorage, type StorageOptions } from './storage';
export { CHANGES_CHANNEL } from './store/context';
export { createLinearStore, DEFAULT_LINEAR_SETTINGS, issueSubject, parseIssueSubject } from './store/linear';
export { DEFAULT_PROJECT_SETTINGS } from './store/mappers';
export {
  createRateLimitStore,
  type RateLimitHit,
  type RateLimitStore,
  secondsUntilAllowed,
} from './store/rate-limits';
export { createSecurityStorage } from './store/security';
export {
  createWarmPoolStore,
  WARM_CHANNEL,
  WARM_FRESHNESS,
  type WarmClaim,
  type WarmPoolStore,
} from './store/warm-pool';
export { WORK_CHANNEL, type WorkAvailable } from './work-queue';
