/**
 * The only way out of a sandboxed run's network namespace: an HTTP CONNECT proxy on a unix socket
 * that is bound into the sandbox. It opens TCP connections only to the run's allowlist (the
 * platform API and the model endpoint); every other destination is refused, logged and counted.
 * Inside the sandbox the runner's egress bridge (agent-runner/src/egress-bridge.ts) feeds it.
 * The same policy serves cloud runners on a TCP port (egress-main.ts).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** `host:port`, lower-case host; IPv6 hosts in brackets. */
export type Destination = string;

const MAX_HEADER_BYTES = 8 * 1024;

export interface EgressProxy {
  readonly socketPath: string;
  readonly allowed: ReadonlySet<Destination>;
  /** Connections refused because their destination is not on the allowlist. */
  readonly denied: number;
  close(): Promise<void>;
}

/** The destination a URL connects to, e.g. `http://127.0.0.1:3000/x` → `127.0.0.1:3000`. */
export function destinationOf(url: string): Destination {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${parsed.hostname.toLowerCase()}:${port}`;
}

export const DEFAULT_MODEL_ENDPOINT = 'https://api.anthropic.com';

/**
 * The allowlist policy, one place for the local sandbox and the cloud proxy: the platform API, the
 * model endpoint (default: Anthropic's) and any extra `host:port` destinations.
 */
export function egressAllowlist(opts: {
  apiUrl?: string;
  modelBaseUrl?: string;
  extra?: readonly Destination[];
}): Destination[] {
  const urls = [opts.apiUrl, opts.modelBaseUrl ?? DEFAULT_MODEL_ENDPOINT];
  return [...urls.filter((u): u is string => !!u).map(destinationOf), ...(opts.extra ?? [])];
}

export function isLoopback(destination: Destination): boolean {
  const host = destination.slice(0, destination.lastIndexOf(':'));
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** An HTTP CONNECT server that opens TCP only to `allowed` (the policy; not yet listening). */
export function createEgressServer(allowed: Iterable<Destination>, logger: Logger) {
  const allow = new Set([...allowed].map((d) => d.toLowerCase()));
  const sockets = new Set<Socket>();
  const counters = { denied: 0 };

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    readHeader(client, (header, rest) => {
      const target = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/i.exec(header)?.[1]?.toLowerCase();
      if (!target || !allow.has(target)) {
        counters.denied++;
        logger.warn({ destination: target ?? header.split('\r\n', 1)[0]?.slice(0, 80) }, 'egress denied');
        client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      const sep = target.lastIndexOf(':');
      const host = target.slice(0, sep).replace(/^\[|\]$/g, '');
      const upstream = connect(Number(target.slice(sep + 1)), host);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', (error) => {
        logger.info(
          { destination: target, code: (error as NodeJS.ErrnoException).code },
          'egress upstream failed',
        );
        if (!connected) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        else client.destroy();
      });
      client.on('close', () => upstream.destroy());
    });
  });
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, allow, counters, close };
}

/** The local sandbox's proxy: a unix socket that the sandbox user can reach. */
export async function startEgressProxy(allowed: Iterable<Destination>, logger: Logger): Promise<EgressProxy> {
  const egress = createEgressServer(allowed, logger);
  const dir = await mkdtemp(join(tmpdir(), 'omakase-egress-'));
  // The sandbox user (another uid) must reach the socket: search on the dir, write on the socket.
  await chmod(dir, 0o711);
  const socketPath = join(dir, 'egress.sock');
  await listen(egress.server, socketPath);
  await chmod(socketPath, 0o666);

  return {
    socketPath,
    allowed: egress.allow,
    get denied() {
      return egress.counters.denied;
    },
    async close() {
      await egress.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The cloud runners' proxy (egress-main.ts): the same policy on a TCP port. */
export async function startTcpEgressProxy(
  allowed: Iterable<Destination>,
  logger: Logger,
  at: { port: number; host?: string },
): Promise<{ port: number; readonly denied: number; close(): Promise<void> }> {
  const egress = createEgressServer(allowed, logger);
  await listen(egress.server, at.port, at.host ?? '0.0.0.0');
  return {
    port: (egress.server.address() as AddressInfo).port,
    get denied() {
      return egress.counters.denied;
    },
    close: egress.close,
  };
}

function listen(server: Server, ...where: [string] | [number, string]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(...(where as [number, string]), () => resolve());
  });
}

/** Collects the request head (up to the blank line), then hands over the head and any bytes after it. */
function readHeader(socket: Socket, onHeader: (header: string, rest: Buffer) => void): void {
  let buffered = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > MAX_HEADER_BYTES) socket.destroy();
      return;
    }
    socket.off('data', onData);
    socket.pause();
    onHeader(buffered.subarray(0, end + 4).toString('latin1'), buffered.subarray(end + 4));
  };
  socket.on('data', onData);
}
