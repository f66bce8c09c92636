/**
 * Per-IP rate limits key on the socket peer; `X-Forwarded-For` counts only when the peer is a
 * configured trusted proxy (right-most untrusted hop). Route handlers on real Postgres, and the
 * peer stamp on a real Node HTTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as projectsRoute from '@/app/api/v1/projects/route';
import { clientAddress, PEER_HEADER, peerAddress, peerStamp } from '@/server/security/client-address';
import { installPeerStamp } from '@/server/security/peer-stamp';
import { call } from '../support/http';
import { type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
  Object.assign(process.env, { API_RATE_LIMIT_PER_MINUTE: '3', TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1' });
});
afterAll(() => stack?.stop());

/** Four unauthenticated requests; each one's headers from `headersOf(i)`. */
async function statuses(headersOf: (i: number) => Record<string, string>) {
  const out: number[] = [];
  for (let i = 0; i < 4; i++)
    out.push((await call(projectsRoute.GET, '/api/v1/projects', { headers: headersOf(i) })).status);
  return out;
}

describe('the rate-limit key', () => {
  it('is the socket peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    const spoofed = await statuses((i) => ({
      [PEER_HEADER]: peerStamp('198.51.100.9'),
      'x-forwarded-for': `203.0.113.${i + 10}`,
    }));
    expect(spoofed).toEqual([401, 401, 401, 429]);
  });

  it('is the client X-Forwarded-For names when the peer is a trusted proxy', async () => {
    const viaProxy = (client: string) => ({
      [PEER_HEADER]: peerStamp('10.1.2.3'),
      'x-forwarded-for': `${client}, 192.0.2.1`,
    });
    expect(await statuses(() => viaProxy('203.0.113.50'))).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy has its own budget.
    expect((await statuses(() => viaProxy('203.0.113.51')))[0]).toBe(401);
  });

  it('takes the right-most untrusted hop, ignores forged stamps and IPv4-mapped forms', () => {
    const headers = (h: Record<string, string>) => new Headers(h);
    const trusted = '10.0.0.0/8';
    const viaProxy = { [PEER_HEADER]: peerStamp('10.0.0.7') };
    expect(
      clientAddress(headers({ ...viaProxy, 'x-forwarded-for': '1.1.1.1, 198.51.100.2, 10.0.0.9' }), trusted),
    ).toBe('198.51.100.2');
    expect(clientAddress(headers({ ...viaProxy, 'x-forwarded-for': '10.0.0.1' }), trusted)).toBe('10.0.0.1');
    expect(clientAddress(headers({ ...viaProxy, 'x-forwarded-for': 'garbage, 10.0.0.1' }), trusted)).toBe(
      '10.0.0.1',
    );
    // No trusted proxies configured: X-Forwarded-For is ignored.
    expect(clientAddress(headers({ ...viaProxy, 'x-forwarded-for': '1.1.1.1' }), undefined)).toBe('10.0.0.7');
    expect(clientAddress(headers({ [PEER_HEADER]: peerStamp('::ffff:198.51.100.3') }), undefined)).toBe(
      '198.51.100.3',
    );
    // A stamp without this process's token is a client's forgery.
    expect(clientAddress(headers({ [PEER_HEADER]: 'forged 198.51.100.4' }), trusted)).toBe('unknown');
  });

  it('is stamped by the HTTP server from the socket, over any client-sent stamp', async () => {
    installPeerStamp();
    const seen: (string | null)[] = [];
    const server = http.createServer((req, res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers.set(name, value);
      seen.push(peerAddress(headers));
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { [PEER_HEADER]: `forged 203.0.113.99`, 'x-forwarded-for': '203.0.113.99' },
      });
      expect(await response.text()).toBe('ok');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(['127.0.0.1']);
  });
});
