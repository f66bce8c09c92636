/**
 * Two real `next start` instances on one database: the webhook limit (middleware, per client IP)
 * and the API limit (per IP) are one budget shared by both, not one budget each.
 */
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, freePort, type RunningApp, startNext } from '../support/next-app';
import { webEnv } from '../support/stack';

let db: TestDatabase;
const apps: RunningApp[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureBuilt();
  const env = {
    ...webEnv({ databaseUrl: db.url, issuerUrl: 'http://localhost:1' }),
    API_RATE_LIMIT_PER_MINUTE: '3',
  };
  for (let i = 0; i < 2; i++) apps.push(await startNext(await freePort(), env));
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await db?.drop();
});

/** Four requests from one client, alternating between the two instances. */
async function alternate(path: string, init: RequestInit): Promise<Response[]> {
  const answers: Response[] = [];
  for (let i = 0; i < 4; i++) answers.push(await fetch(`${apps[i % 2]!.url}${path}`, init));
  return answers;
}

it('webhooks: the fourth request in a minute is refused, whichever instance gets it', async () => {
  const answers = await alternate('/api/webhooks/linear', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.80' },
    body: '{}',
  });
  const statuses = answers.map((r) => r.status);
  expect(statuses.slice(0, 3)).not.toContain(429); // unsigned: refused by the route itself
  expect(statuses[3]).toBe(429);
  expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
});

it('API: the per-IP budget is shared by the instances', async () => {
  const answers = await alternate('/api/v1/projects', { headers: { 'x-forwarded-for': '192.0.2.81' } });
  expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 429]);
});

/** A GET sent from the loopback address `from` (the socket peer the server sees). */
function getFrom(from: string, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = http.get(
      { host: '127.0.0.1', port: target.port, path: target.pathname, localAddress: from, headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
  });
}

it('API: the per-IP key is the socket peer; a client-sent X-Forwarded-For does not change it', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++)
    statuses.push(
      await getFrom('127.0.0.2', `${apps[i % 2]!.url}/api/v1/projects`, {
        'x-forwarded-for': `198.51.100.${i}`,
      }),
    );
  expect(statuses).toEqual([401, 401, 401, 429]);
  // Another peer has its own budget: the key really is the socket address.
  expect(await getFrom('127.0.0.3', `${apps[0]!.url}/api/v1/projects`, {})).toBe(401);
});
