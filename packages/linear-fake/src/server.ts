/**
 * A fake Linear on loopback: GraphQL (validated against the real schema), OAuth endpoints,
 * injected rate-limit/complexity faults, and real signed webhooks to a configured endpoint.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { type FakeContext, fakeResolvers } from './resolvers';
import { buildFakeSchema } from './schema';
import { FakeWorkspace } from './state';

export interface WebhookTarget {
  url: string;
  secret: string;
}
export interface DeliveryOptions {
  /** The unsigned `Linear-Delivery` header (the receiver keys deliveries on the signed body instead). */
  deliveryId?: string;
  timestamp?: number;
  secret?: string;
}
export type Fault = 'ratelimit' | 'complexity';
type FakeYoga = ReturnType<typeof createYoga<Record<string, unknown>, FakeContext>>;

export class FakeLinear {
  readonly ws = new FakeWorkspace();
  readonly documents: { operationName: string | null; query: string }[] = [];
  readonly deliveries: {
    deliveryId: string;
    /** SHA-256 (hex) of the signed body: what the receiver's idempotency key is derived from. */
    bodySha256: string;
    type: string;
    action: string;
    status: number;
  }[] = [];
  readonly oauth = {
    clientId: 'fake-client',
    clientSecret: 'fake-secret',
    refreshes: 0,
    revoked: [] as string[],
  };
  webhook: WebhookTarget | null = null;
  requests = 0;
  private tokens = new Map<string, { userId: string; expiresAt: number | null }>();
  private refreshTokens = new Map<string, string>();
  private codes = new Map<string, string>();
  private faults: Fault[] = [];
  private pending = new Set<Promise<unknown>>();
  private server: Server | null = null;
  url = '';

  /** `schemaPath`: Linear's schema to serve (default SCHEMA_PATH, `../shared` beside the checkout). */
  constructor(private readonly options: { schemaPath?: string } = {}) {}

  /** An API key acting as the human (personal key mode). */
  apiKey(): string {
    const key = `lin_api_${randomBytes(12).toString('hex')}`;
    this.tokens.set(key, { userId: this.ws.human.id, expiresAt: null });
    return key;
  }

  failNext(fault: Fault, times = 1) {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Emits a webhook as Linear would after a change; tracked so tests can await `idle()`. */
  emit(
    type: string,
    action: string,
    data: Record<string, unknown>,
    actorId: string,
    extra: Record<string, unknown> = {},
  ) {
    if (!this.webhook) return;
    const body = {
      type,
      action,
      actor: { id: actorId, type: 'user' },
      createdAt: new Date().toISOString(),
      data,
      url: typeof data.url === 'string' ? data.url : undefined,
      organizationId: this.ws.organization.id,
      webhookId: 'fake-webhook',
      ...extra,
    };
    const sent = this.deliver(body).catch(() => undefined);
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  /** Signs and posts one delivery; options forge the id, timestamp or secret for negative tests. */
  async deliver(body: Record<string, unknown>, opts: DeliveryOptions = {}): Promise<number> {
    return (await this.deliverSigned(body, opts)).status;
  }

  /** `deliver`, also answering the SHA-256 (hex) of the signed body that was sent. */
  async deliverSigned(
    body: Record<string, unknown>,
    opts: DeliveryOptions = {},
  ): Promise<{ status: number; bodySha256: string }> {
    if (!this.webhook) throw new Error('no webhook target configured');
    const deliveryId = opts.deliveryId ?? randomUUID();
    const timestamp = opts.timestamp ?? Date.now();
    const raw = JSON.stringify({ ...body, webhookTimestamp: timestamp });
    const signature = createHmac('sha256', opts.secret ?? this.webhook.secret)
      .update(raw)
      .digest('hex');
    const response = await fetch(this.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'linear-delivery': deliveryId,
        'linear-event': String(body.type),
        'linear-signature': signature,
        'linear-timestamp': String(timestamp),
      },
      body: raw,
    });
    await response.arrayBuffer();
    const bodySha256 = createHash('sha256').update(raw).digest('hex');
    this.deliveries.push({
      deliveryId,
      bodySha256,
      type: String(body.type),
      action: String(body.action),
      status: response.status,
    });
    return { status: response.status, bodySha256 };
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async start(): Promise<string> {
    const schema = buildFakeSchema(fakeResolvers(this.ws), this.options.schemaPath);
    const yoga = createYoga<Record<string, unknown>, FakeContext>({
      schema,
      graphqlEndpoint: '/graphql',
      logging: false,
      maskedErrors: false,
      context: ({ request }) => ({
        userId: this.authenticate(request.headers.get('authorization'))!,
        emit: (type: string, action: string, data: Record<string, unknown>, actorId: string) =>
          this.emit(type, action, data, actorId),
      }),
    });
    this.server = createServer((req, res) => void this.route(req, res, yoga));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.idle();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private authenticate(header: string | null): string | null {
    const token = header?.replace(/^Bearer /, '') ?? '';
    const entry = this.tokens.get(token);
    if (!entry || (entry.expiresAt !== null && entry.expiresAt < Date.now())) return null;
    return entry.userId;
  }

  private async route(req: IncomingMessage, res: ServerResponse, yoga: FakeYoga) {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/oauth/')) return this.oauthRoute(url, req, res);
    this.requests++;
    res.setHeader('x-ratelimit-requests-limit', '5000');
    const fault = this.faults.shift();
    if (fault === 'ratelimit') {
      res.setHeader('x-ratelimit-requests-remaining', '0');
      res.setHeader('x-ratelimit-requests-reset', String(Date.now() + 20));
      return json(res, 429, {
        errors: [
          { message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED' } },
        ],
      });
    }
    if (fault === 'complexity') {
      return json(res, 400, {
        errors: [
          { message: 'Query too complex', extensions: { type: 'graphql error', code: 'QUERY_TOO_COMPLEX' } },
        ],
      });
    }
    res.setHeader('x-ratelimit-requests-remaining', '4999');
    res.setHeader('x-ratelimit-requests-reset', String(Date.now() + 3_600_000));
    if (req.method === 'POST') {
      const body = await readBody(req);
      if (!this.authenticate(req.headers.authorization ?? null)) {
        return json(res, 401, {
          errors: [{ message: 'Authentication required', extensions: { type: 'authentication error' } }],
        });
      }
      const parsed = JSON.parse(body.toString('utf8')) as { query: string; operationName?: string };
      const name = /^\s*(?:query|mutation)\s+(\w+)/.exec(parsed.query)?.[1] ?? null;
      this.documents.push({ operationName: name, query: parsed.query });
      const request = new Request(url, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: new Uint8Array(body),
      });
      const response = await yoga.fetch(request, {});
      res.writeHead(response.status, Object.fromEntries(response.headers));
      return res.end(Buffer.from(await response.arrayBuffer()));
    }
    return json(res, 405, { error: 'method not allowed' });
  }

  private async oauthRoute(url: URL, req: IncomingMessage, res: ServerResponse) {
    if (url.pathname === '/oauth/authorize') {
      const code = randomBytes(8).toString('hex');
      this.codes.set(code, url.searchParams.get('actor') === 'app' ? this.ws.appUser.id : this.ws.human.id);
      const target = new URL(url.searchParams.get('redirect_uri')!);
      target.searchParams.set('code', code);
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: target.toString() });
      return res.end();
    }
    if (url.pathname === '/oauth/revoke') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      this.oauth.revoked.push(token);
      this.tokens.delete(token);
      return json(res, 200, { success: true });
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (
      form.get('client_id') !== this.oauth.clientId ||
      form.get('client_secret') !== this.oauth.clientSecret
    ) {
      return json(res, 401, { error: 'invalid_client' });
    }
    let userId: string | undefined;
    if (form.get('grant_type') === 'authorization_code') {
      userId = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
    } else if (form.get('grant_type') === 'refresh_token') {
      // Rotation: a refresh token works once, so two racing refreshers cannot both succeed.
      userId = this.refreshTokens.get(form.get('refresh_token') ?? '');
      this.refreshTokens.delete(form.get('refresh_token') ?? '');
      if (userId) this.oauth.refreshes++;
    }
    if (!userId) return json(res, 400, { error: 'invalid_grant' });
    return json(res, 200, this.issueTokens(userId, 3600));
  }

  /** Mints an access/refresh pair (tests use a short `expiresIn` to force a refresh). */
  issueTokens(userId: string, expiresIn: number) {
    const accessToken = `lin_oauth_${randomBytes(12).toString('hex')}`;
    const refreshToken = `lin_refresh_${randomBytes(12).toString('hex')}`;
    this.tokens.set(accessToken, { userId, expiresAt: Date.now() + expiresIn * 1000 });
    this.refreshTokens.set(refreshToken, userId);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
      scope: 'read,write',
    };
  }
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
