/**
 * Every live stream has a maximum lifetime (STREAM_MAX_LIFETIME_MS): at the end it says so and
 * closes, and the client's EventSource reconnects (Last-Event-ID) and authenticates anew.
 * The test waits for the stream's own end, not a timer of its own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as streamRoute from '@/app/api/v1/projects/[projectId]/stream/route';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let token: string;

beforeAll(async () => {
  stack = await startApiStack();
  process.env.STREAM_MAX_LIFETIME_MS = '300';
  token = await userToken(stack.issuer.url, 'member@demo.local', APP_BASE_URL);
});
afterAll(() => stack?.stop());

it('ends a stream at its configured lifetime with reason "lifetime"', async () => {
  const started = performance.now();
  const response = await streamRoute.GET(
    new Request(new URL(`/api/v1/projects/${stack.seeded.shop.id}/stream`, APP_BASE_URL), {
      headers: { authorization: `Bearer ${token}` },
    }),
    { params: Promise.resolve({ projectId: stack.seeded.shop.id }) },
  );
  expect(response.status).toBe(200);
  const text = await response.text(); // resolves only when the server ends the stream
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  expect(text).toContain('retry: 1000');
  expect(text.trimEnd().endsWith('event: end\ndata: {"reason":"lifetime"}')).toBe(true);
});
