/**
 * The only way out of a sandboxed run's network namespace: an HTTP CONNECT proxy on a unix socket
 * that is bound into the sandbox. It opens TCP connections only to the run's allowlist (the
 * platform API and the model endpoint); every other destination is refused, logged and counted.
 * Inside the sandbox the runner's egress bridge (agent-runner/src/egress-bridge.ts) feeds it.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
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

export function isLoopback(destination: Destination): boolean {
  const host = destination.slice(0, destination.lastIndexOf(':'));
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startEgressProxy(allowed: Iterable<Destination>, logger: Logger): Promise<EgressProxy> {
  const allow = new Set([...allowed].map((d) => d.toLowerCase()));
  const dir = await mkdtemp(join(tmpdir(), 'omakase-egress-'));
  // The sandbox user (another uid) must reach the socket: search on the dir, write on the socket.
  await chmod(dir, 0o711);
  const socketPath = join(dir, 'egress.sock');
  const sockets = new Set<Socket>();
  let denied = 0;

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    readHeader(client, (header, rest) => {
      const target = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/i.exec(header)?.[1]?.toLowerCase();
      if (!target || !allow.has(target)) {
        denied++;
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o666);

  return {
    socketPath,
    allowed: allow,
    get denied() {
      return denied;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
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
