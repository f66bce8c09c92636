/**
 * Test helpers (`@omakase/db/testing`): a real Postgres per test run and an isolated,
 * migrated database per test file or test.
 */

export { percentile, withBenchDatabase } from './testing/bench';
export { closeTestDatabases, createTestDatabase, type TestDatabase } from './testing/databases';
export { default as globalSetup } from './testing/global-setup';
export { startTestPostgres, stopTestPostgres, type TestPostgres } from './testing/server';
