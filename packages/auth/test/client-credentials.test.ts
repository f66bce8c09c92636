/** The client-credentials token source against a loopback token endpoint. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientCredentialsToken, TokenRequestError } from '../src/client-credentials';

let server: Server;
let tokenUrl: string;
let requests: Record<string, unknown>[];
/** What the endpoint answers next: status and body; `hold` delays the answer until released. */
let answer: { status: number; body: unknown };
let hold: Promise<void> | null;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    requests.push(JSON.parse(raw));
    if (hold) await hold;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  hold = null;
  answer = { status: 200, body: { access_token: 'token-1', expires_in: 3600, token_type: 'Bearer' } };
});

const source = (now = () => 0) =>
  clientCredentialsToken({
    tokenUrl,
    audience: 'omakase-api',
    clientId: 'orch',
    clientSecret: 's3cret',
    now,
  });

describe('clientCredentialsToken', () => {
  it('asks for the audience with the client credentials, once for concurrent callers', async () => {
    let release!: () => void;
    hold = new Promise((r) => {
      release = r;
    });
    const tokens = source();
    const pending = Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    await expect.poll(() => requests.length).toBe(1);
    release();
    expect(await pending).toEqual(['token-1', 'token-1', 'token-1']);
    expect(requests).toEqual([
      {
        grant_type: 'client_credentials',
        client_id: 'orch',
        client_secret: 's3cret',
        audience: 'omakase-api',
      },
    ]);
  });

  it('reuses the token until a minute before it expires, and after invalidate()', async () => {
    let clock = 0;
    const tokens = source(() => clock);
    await tokens.get();
    clock = 3600_000 - 60_001;
    await tokens.get();
    expect(requests).toHaveLength(1);
    clock = 3600_000 - 60_000;
    answer.body = { access_token: 'token-2', expires_in: 3600 };
    expect(await tokens.get()).toBe('token-2');
    answer.body = { access_token: 'token-3', expires_in: 3600 };
    tokens.invalidate();
    expect(await tokens.get()).toBe('token-3');
    expect(requests).toHaveLength(3);
  });

  it("fails with the endpoint's status and description, and tries again on the next call", async () => {
    answer = { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized client' } };
    const tokens = source();
    const error = await tokens.get().catch((e) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ status: 401, message: 'token request failed: Unauthorized client' });
    answer = { status: 200, body: { access_token: 'token-4' } };
    expect(await tokens.get()).toBe('token-4');
  });

  it('refuses a success without an access token, and reports an unreachable endpoint as status 0', async () => {
    answer = { status: 200, body: { token_type: 'Bearer' } };
    await expect(source().get()).rejects.toMatchObject({ status: 200 });
    const unreachable = clientCredentialsToken({
      tokenUrl: 'http://127.0.0.1:1/oauth/token',
      audience: 'a',
      clientId: 'c',
      clientSecret: 's',
    });
    await expect(unreachable.get()).rejects.toMatchObject({ name: 'TokenRequestError', status: 0 });
  });
});
