/**
 * A warm runner's claim stays in memory: waitForWarmClaim returns the run token and the run's
 * configuration (to be parsed over the environment) and never puts them into process.env (which
 * children inherit), drops the M2M client, and keeps the image's agent isolation even if the
 * claim's configuration names one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseWarmEnv } from '../src/env';
import { waitForWarmClaim } from '../src/warm';

const RUN_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.claimed-run-token.signature-part';
let server: Server;
let url: string;
/** Statuses the claim endpoint answers before the claimed run (204: nothing yet; 401: token expired). */
let before: number[] = [];
let seen: { path: string; authorization: string }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    for await (const _ of req);
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization ?? '' });
    if (req.url === '/oauth/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const issued = seen.filter((s) => s.path === '/oauth/token').length;
      return res.end(JSON.stringify({ access_token: `m2m-access-${issued}`, expires_in: 600 }));
    }
    const status = before.shift();
    if (status) {
      res.writeHead(status, { 'content-type': 'application/json' });
      return res.end(
        status === 204 ? undefined : JSON.stringify({ error: { code: 'invalid_token', message: 'expired' } }),
      );
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        runId: 'run_0claimed',
        runToken: RUN_TOKEN,
        env: { WORKSPACE_DIR: '/data/ws/x', OMAKASE_ROLE: 'coder', OMAKASE_AGENT_ISOLATION: 'none' },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

function warmEnv() {
  Object.assign(process.env, {
    OMAKASE_API_URL: url,
    OMAKASE_WARM: '1',
    OMAKASE_WARM_ID: `warm_${'0'.repeat(26)}`,
    OMAKASE_TOKEN_URL: `${url}/oauth/token`,
    OMAKASE_M2M_CLIENT_ID: 'warm-client',
    OMAKASE_M2M_CLIENT_SECRET: 'warm-client-secret',
    OMAKASE_AGENT_ISOLATION: 'user',
  });
}

const CLAIMED = { WORKSPACE_DIR: '/data/ws/x', OMAKASE_ROLE: 'coder', OMAKASE_RUN_ID: 'run_0claimed' };

it('returns the claim without writing it (or keeping the M2M secret) in process.env', async () => {
  warmEnv();
  const claimed = await waitForWarmClaim(parseWarmEnv());
  // The claim's OMAKASE_AGENT_ISOLATION is not taken: the image's (`user`) stays.
  expect(claimed).toEqual({ ...CLAIMED, OMAKASE_RUN_TOKEN: RUN_TOKEN });
  expect(JSON.stringify(process.env)).not.toContain(RUN_TOKEN);
  expect(process.env.OMAKASE_RUN_ID).toBeUndefined();
  expect(process.env.WORKSPACE_DIR).toBeUndefined();
  expect(process.env.OMAKASE_M2M_CLIENT_SECRET).toBeUndefined();
  expect(process.env.OMAKASE_AGENT_ISOLATION).toBe('user');
});

it('polls again after a 204 and renews its M2M token after a 401', async () => {
  warmEnv();
  seen = [];
  before = [204, 401];
  expect(await waitForWarmClaim(parseWarmEnv())).toEqual({ ...CLAIMED, OMAKASE_RUN_TOKEN: RUN_TOKEN });
  expect(seen).toEqual([
    { path: '/oauth/token', authorization: '' },
    { path: '/api/v1/runner/claim', authorization: 'Bearer m2m-access-1' },
    { path: '/api/v1/runner/claim', authorization: 'Bearer m2m-access-1' },
    { path: '/oauth/token', authorization: '' },
    { path: '/api/v1/runner/claim', authorization: 'Bearer m2m-access-2' },
  ]);
});
