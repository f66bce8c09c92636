/**
 * With OMAKASE_API_PROXY (cloud runners), the runner's own fetch reaches the platform API only
 * through the egress proxy — the real one runners use (orchestrator's allowlisting CONNECT
 * proxy): an allowed API answers, a destination off the allowlist is refused by the proxy.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Agent, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTcpEgressProxy } from '../../orchestrator/src/compute/egress-proxy';
import { useApiProxy } from '../src/api-proxy';

let api: Server;
let offList: Server;
let proxy: Awaited<ReturnType<typeof startTcpEgressProxy>>;
const portOf = (s: Server) => (s.address() as AddressInfo).port;

async function serve(body: string) {
  const server = createServer((_req, res) => res.end(body)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

beforeAll(async () => {
  [api, offList] = await Promise.all([serve('from the api'), serve('should not be reached')]);
  proxy = await startTcpEgressProxy([`127.0.0.1:${portOf(api)}`], pino({ level: 'silent' }), {
    port: 0,
    host: '127.0.0.1',
  });
});
afterAll(async () => {
  setGlobalDispatcher(new Agent());
  await proxy?.close();
  api?.close();
  offList?.close();
});

it("tunnels the runner's fetch through the egress proxy, which enforces the allowlist", async () => {
  expect(useApiProxy(undefined)).toBeNull();
  expect(useApiProxy(`http://127.0.0.1:${proxy.port}`)).toBe(`http://127.0.0.1:${proxy.port}/`);
  const ok = await fetch(`http://127.0.0.1:${portOf(api)}/api/v1/runs/x/spec`);
  expect(await ok.text()).toBe('from the api');
  await expect(fetch(`http://127.0.0.1:${portOf(offList)}/`)).rejects.toThrow();
  expect(proxy.denied).toBe(1);
  expect(() => useApiProxy('socks5://x:1')).toThrow(/must be an http:\/\/ proxy/);
});
