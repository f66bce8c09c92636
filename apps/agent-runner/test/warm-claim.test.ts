/**
 * A warm runner's claimed run token stays in memory: waitForWarmClaim returns it and never puts
 * it into process.env (which children inherit), drops the M2M client, and keeps the image's agent
 * isolation even if the claim's configuration names one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitForWarmClaim } from '../src/warm';

const RUN_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.claimed-run-token.signature-part';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/oauth/token')
      return res.end(JSON.stringify({ access_token: 'm2m-access', expires_in: 600 }));
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

it('returns the run token without writing it (or the M2M secret) into process.env', async () => {
  Object.assign(process.env, {
    OMAKASE_API_URL: url,
    OMAKASE_WARM: '1',
    OMAKASE_WARM_ID: `warm_${'0'.repeat(26)}`,
    OMAKASE_TOKEN_URL: `${url}/oauth/token`,
    OMAKASE_M2M_CLIENT_ID: 'warm-client',
    OMAKASE_M2M_CLIENT_SECRET: 'warm-client-secret',
    OMAKASE_AGENT_ISOLATION: 'user',
  });
  const secrets = await waitForWarmClaim();
  expect(secrets).toEqual({ OMAKASE_RUN_TOKEN: RUN_TOKEN });
  expect(process.env.OMAKASE_RUN_TOKEN).toBeUndefined();
  expect(JSON.stringify(process.env)).not.toContain(RUN_TOKEN);
  expect(process.env.OMAKASE_M2M_CLIENT_SECRET).toBeUndefined();
  expect(process.env).toMatchObject({ OMAKASE_RUN_ID: 'run_0claimed', WORKSPACE_DIR: '/data/ws/x' });
  expect(process.env.OMAKASE_AGENT_ISOLATION).toBe('user');
});
