import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, verifyAccessToken } from '../src/index';

const AUDIENCE = 'omakase-api';
let server: Server;
let issuerUrl: string;
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: Key;
let foreignKey: Key;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  foreignKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function sign(
  claims: Record<string, unknown>,
  opts: { key?: Key; aud?: string; exp?: number | string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(`${issuerUrl}/`)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(opts.key ?? signingKey);
}

const verify = (token: string) => verifyAccessToken(token, { issuerUrl, audience: AUDIENCE });

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('verifyAccessToken', () => {
  it('maps a user token to a principal with the highest namespaced role', async () => {
    const token = await sign({
      sub: 'local|owner',
      org_id: 'org_demo',
      'https://omakase.dev/roles': ['viewer', 'admin', 'unknown'],
      permissions: ['read:projects'],
    });
    expect(await verify(token)).toEqual({
      kind: 'user',
      subject: 'local|owner',
      orgExternalId: 'org_demo',
      role: 'admin',
      permissions: ['read:projects'],
    });
  });

  it('recognises a client-credentials token as a machine', async () => {
    const token = await sign({
      sub: 'demo-automation@clients',
      azp: 'demo-automation',
      gty: 'client-credentials',
      org_id: 'org_demo',
      'https://omakase.dev/roles': ['member'],
    });
    expect(await verify(token)).toMatchObject({
      kind: 'machine',
      subject: 'demo-automation',
      role: 'member',
    });
  });

  it('keeps a missing org and role as null (authorisation decides)', async () => {
    expect(await verify(await sign({ sub: 'u1' }))).toMatchObject({ orgExternalId: null, role: null });
  });

  it('refuses an expired token', async () => {
    const token = await sign({ sub: 'u1' }, { exp: Math.floor(Date.now() / 1000) - 60 });
    const error = await rejection(verify(token));
    expect(error.code).toBe('invalid_token');
    expect(error.message).toBe('token expired');
  });

  it('refuses a token signed by another key', async () => {
    const error = await rejection(verify(await sign({ sub: 'u1' }, { key: foreignKey })));
    expect(error.message).toBe('token signature is invalid');
  });

  it('refuses a token for another audience', async () => {
    const error = await rejection(verify(await sign({ sub: 'u1' }, { aud: 'someone-else' })));
    expect(error.message).toBe('token claim "aud" is invalid');
  });

  it('refuses garbage and a token from another issuer', async () => {
    expect((await rejection(verify('not.a.jwt'))).code).toBe('invalid_token');
    const other = verifyAccessToken(await sign({ sub: 'u1' }), {
      issuerUrl: `${issuerUrl}/x`,
      audience: AUDIENCE,
    });
    expect((await rejection(other)).code).toBe('invalid_token');
  });

  it('reports an unreachable issuer as unavailable, not as a bad token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const token = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`http://127.0.0.1:${port}/`)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(signingKey);
    const error = await rejection(
      verifyAccessToken(token, { issuerUrl: `http://127.0.0.1:${port}`, audience: AUDIENCE }),
    );
    expect(error.code).toBe('unavailable');
  });
});
