/**
 * Network inside the sandbox: the run has its own network namespace (only loopback), and the
 * orchestrator's egress proxy on a unix socket is its one way out. This bridge makes that usable
 * without changing any URL:
 * - each allowed loopback service (the platform API, the local model server) gets a listener on
 *   the same host:port inside the sandbox, tunnelled through the proxy with CONNECT;
 * - a loopback HTTP proxy port (HTTPS_PROXY for Claude Code) passes CONNECT requests for remote
 *   destinations (api.anthropic.com) straight to the proxy, which enforces the allowlist.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { RunnerBootEnv } from './env';

export interface EgressBridgeOptions {
  socketPath: string;
  /** `host:port` loopback services to mirror inside the sandbox. */
  forward: string[];
  /** Loopback port of the pass-through proxy for remote destinations. */
  proxyPort?: number;
}

export async function startEgressBridge(opts: EgressBridgeOptions): Promise<{ close(): Promise<void> }> {
  const servers: Server[] = [];
  for (const destination of opts.forward) {
    const sep = destination.lastIndexOf(':');
    const host = destination.slice(0, sep).replace(/^\[|\]$/g, '');
    const port = Number(destination.slice(sep + 1));
    const tunnel = (client: Socket) => tunnelThroughProxy(opts.socketPath, destination, client);
    // `localhost` may resolve to either family; listen on both so any client finds us.
    const hosts = host === 'localhost' ? ['127.0.0.1', '::1'] : [host];
    for (const address of hosts)
      servers.push(await listen(createServer(tunnel), port, address, hosts.length > 1));
  }
  if (opts.proxyPort) {
    const passThrough = createServer((client) => {
      const upstream = connect(opts.socketPath);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    servers.push(await listen(passThrough, opts.proxyPort, '127.0.0.1', false));
  }
  return {
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

function tunnelThroughProxy(socketPath: string, destination: string, client: Socket): void {
  client.pause();
  const upstream = connect(socketPath);
  const fail = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on('error', fail);
  client.on('error', fail);
  upstream.write(`CONNECT ${destination} HTTP/1.1\r\nhost: ${destination}\r\n\r\n`);
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    upstream.off('data', onData);
    if (!/^HTTP\/1\.[01] 200/.test(head.toString('latin1'))) return fail();
    const rest = head.subarray(end + 4);
    if (rest.length > 0) client.write(rest);
    client.pipe(upstream).pipe(client);
    client.resume();
  };
  upstream.on('data', onData);
}

function listen(server: Server, port: number, host: string, optional: boolean): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => (optional ? resolve(server) : reject(error)));
    server.listen(port, host, () => resolve(server));
  });
}

/** Starts the bridge when the sandbox asks for it (OMAKASE_EGRESS_SOCKET set by the local driver). */
export async function startSandboxEgressBridge(
  env: Pick<RunnerBootEnv, 'OMAKASE_EGRESS_SOCKET' | 'OMAKASE_EGRESS_FORWARD' | 'OMAKASE_EGRESS_PROXY_PORT'>,
) {
  if (!env.OMAKASE_EGRESS_SOCKET) return null;
  return startEgressBridge({
    socketPath: env.OMAKASE_EGRESS_SOCKET,
    forward: env.OMAKASE_EGRESS_FORWARD,
    proxyPort: env.OMAKASE_EGRESS_PROXY_PORT,
  });
}
