/**
 * Tests only: a loopback stand-in for the few Auth0 Management API endpoints the adapter uses.
 * It records every request (method, path, auth header, body) and can be told to fail the next calls.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface ManagementFake {
  url: string;
  requests: RecordedRequest[];
  /** Answers the next `n` non-token requests with `status` (e.g. 503, 429, 401); status 0 never answers. */
  failNext(n: number, status: number, headers?: Record<string, string>): void;
  tokenLifetimeSeconds: number;
  /** Organisation id → member user ids, as the member endpoints change them. */
  members: Map<string, Set<string>>;
  tokensIssued: number;
  close(): Promise<void>;
}

export const FAKE_CLIENT = { clientId: 'mgmt-client', clientSecret: 'mgmt-secret' };

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startManagementFake(): Promise<ManagementFake> {
  let failures: { left: number; status: number; headers: Record<string, string> } = {
    left: 0,
    status: 0,
    headers: {},
  };
  const fake: Omit<ManagementFake, 'url' | 'close'> = {
    requests: [],
    failNext(n, status, headers = {}) {
      failures = { left: n, status, headers };
    },
    tokenLifetimeSeconds: 86_400,
    tokensIssued: 0,
    members: new Map(),
  };
  const orgMembers = (org: string) => {
    if (!fake.members.has(org)) fake.members.set(org, new Set());
    return fake.members.get(org)!;
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = req.url ?? '/';
    fake.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (path === '/oauth/token') {
      const b = body as Record<string, string>;
      if (b.client_id !== FAKE_CLIENT.clientId || b.client_secret !== FAKE_CLIENT.clientSecret) {
        return send(401, { error: 'access_denied', error_description: 'Unauthorized' });
      }
      fake.tokensIssued++;
      return send(200, {
        access_token: `mgmt-token-${fake.tokensIssued}`,
        token_type: 'Bearer',
        expires_in: fake.tokenLifetimeSeconds,
      });
    }
    if (req.headers.authorization !== `Bearer mgmt-token-${fake.tokensIssued}`) {
      return send(401, { statusCode: 401, message: 'Invalid token' });
    }
    if (failures.left > 0) {
      failures.left--;
      if (failures.status === 0) return; // hangs until the client gives up
      return send(
        failures.status,
        { statusCode: failures.status, message: 'injected failure' },
        failures.headers,
      );
    }
    if (req.method === 'POST' && /^\/api\/v2\/organizations\/[^/]+\/invitations$/.test(path)) {
      return send(201, {
        id: 'uinv_1',
        invitation_url: 'https://app.example/login?invitation=abc&organization=org_abc',
      });
    }
    const url = new URL(path, 'http://fake');
    const membersOf = /^\/api\/v2\/organizations\/([^/]+)\/members$/.exec(url.pathname)?.[1];
    if (membersOf && req.method === 'GET') {
      const all = [...orgMembers(membersOf)].sort();
      const page = Number(url.searchParams.get('page') ?? 0);
      const perPage = Number(url.searchParams.get('per_page') ?? 50);
      const slice = all.slice(page * perPage, (page + 1) * perPage).map((user_id) => ({ user_id }));
      return send(200, { members: slice, start: page * perPage, limit: perPage, total: all.length });
    }
    if (membersOf) {
      const ids = (body as { members: string[] }).members;
      for (const id of ids) {
        if (req.method === 'POST') orgMembers(membersOf).add(id);
        else orgMembers(membersOf).delete(id);
      }
      return send(204);
    }
    if (/^\/api\/v2\/organizations\/[^/]+\/members\/[^/]+\/roles$/.test(url.pathname)) {
      return send(204);
    }
    send(404, { statusCode: 404, message: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return Object.assign(fake as ManagementFake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
