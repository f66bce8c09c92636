import { startTestPostgres } from './server';

/**
 * vitest `globalSetup`: boots one Postgres for the whole run in the main process and hands its
 * URL to every test worker through `TEST_DATABASE_URL` (workers inherit the environment).
 * Does nothing when `TEST_DATABASE_URL` is already set (external server, or another project's
 * global setup already booted one in this process).
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const server = await startTestPostgres();
  process.env.TEST_DATABASE_URL = server.url;
  return async () => {
    delete process.env.TEST_DATABASE_URL;
    await server.stop();
  };
}
