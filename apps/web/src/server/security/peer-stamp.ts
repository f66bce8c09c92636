/**
 * Stamps every request the Node HTTP server receives with its socket peer address
 * (client-address.ts), overwriting whatever a client sent in that header. Installed once per
 * process from `instrumentation.ts`, before Next.js sees the request.
 */
import http from 'node:http';
import https from 'node:https';
import { PEER_HEADER, peerStamp } from './client-address';

const holder = globalThis as typeof globalThis & { __omakasePeerStampInstalled?: boolean };

export function installPeerStamp(): void {
  if (holder.__omakasePeerStampInstalled) return;
  holder.__omakasePeerStampInstalled = true;
  for (const Server of [http.Server, https.Server]) {
    const emit = Server.prototype.emit;
    Server.prototype.emit = function stampedEmit(
      this: http.Server,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (event === 'request') {
        const request = args[0] as http.IncomingMessage;
        const address = request.socket?.remoteAddress;
        if (address) request.headers[PEER_HEADER] = peerStamp(address);
        else delete request.headers[PEER_HEADER];
      }
      return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
    } as typeof emit;
  }
}
