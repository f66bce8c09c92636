/**
 * The cloud runners' egress proxy as the real process ECS runs (src/egress-main.ts): CONNECT to the
 * platform API and listed destinations is tunnelled, anything else — another host service, the
 * model endpoint's neighbour — is refused with 403 and logged.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/egress-main.ts', import.meta.url));
let api: Server;
let extra: Server;
let forbidden: Server;
let proxy: ChildProcess;
let proxyPort = 0;
const logs: Record<string, unknown>[] = [];

/** A TCP service that answers every connection with its name. */
async function service(name: string): Promise<Server> {
  const server = createServer((socket) => socket.end(name));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  [api, extra, forbidden] = await Promise.all([service('api'), service('extra'), service('forbidden')]);
  proxy = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      EGRESS_PORT: '0',
      OMAKASE_API_URL: `http://127.0.0.1:${portOf(api)}`,
      ANTHROPIC_BASE_URL: 'https://api.anthropic.com',
      EGRESS_EXTRA_DESTINATIONS: `127.0.0.1:${portOf(extra)}`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proxy.stdout! });
  const listening = new Promise<{ port: number; allowed: string[] }>((resolve) =>
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      logs.push(entry);
      if (entry.msg === 'egress proxy listening') resolve(entry);
    }),
  );
  const entry = await listening;
  proxyPort = entry.port;
  expect(entry.allowed).toEqual([
    `127.0.0.1:${portOf(api)}`,
    'api.anthropic.com:443',
    `127.0.0.1:${portOf(extra)}`,
  ]);
});
afterAll(async () => {
  proxy?.kill('SIGTERM');
  if (proxy && proxy.exitCode === null) await once(proxy, 'exit');
  for (const s of [api, extra, forbidden]) s?.close();
});

/** Everything the proxy sends back for one CONNECT. */
async function tunnel(destination: string): Promise<string> {
  const socket = connect(proxyPort, '127.0.0.1');
  socket.write(`CONNECT ${destination} HTTP/1.1\r\nHost: ${destination}\r\n\r\n`);
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  await once(socket, 'close');
  return received;
}

it('tunnels to the platform API and listed destinations only', async () => {
  expect(await tunnel(`127.0.0.1:${portOf(api)}`)).toBe('HTTP/1.1 200 Connection Established\r\n\r\napi');
  expect(await tunnel(`127.0.0.1:${portOf(extra)}`)).toMatch(/ 200 [\s\S]*extra$/);
  const refused = await tunnel(`127.0.0.1:${portOf(forbidden)}`);
  expect(refused).toMatch(/^HTTP\/1\.1 403 Forbidden/);
  expect(refused).not.toContain('forbidden');
  // The proxy's log line travels on its stdout, which can arrive after the 403 reached us.
  await expect
    .poll(() => logs)
    .toContainEqual(
      expect.objectContaining({ msg: 'egress denied', destination: `127.0.0.1:${portOf(forbidden)}` }),
    );
});
