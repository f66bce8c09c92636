import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as healthRoute from '@/app/api/health/route';
import * as openapiRoute from '@/app/api/v1/openapi.json/route';
import * as projectRoute from '@/app/api/v1/projects/[projectId]/route';
import * as projectsRoute from '@/app/api/v1/projects/route';
import { call, expectError } from '../support/http';
import { machineToken, signWithIssuerKey, userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let owner: string;
let viewer: string;
let otherOwner: string;
let machine: string;

beforeAll(async () => {
  stack = await startApiStack();
  [owner, viewer, otherOwner, machine] = await Promise.all([
    userToken(stack.issuer.url, 'owner@demo.local', APP_BASE_URL),
    userToken(stack.issuer.url, 'viewer@demo.local', APP_BASE_URL),
    userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL),
    machineToken(stack.issuer.url),
  ]);
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const projectCount = async () => (await demo().projects.list()).length;
const validProject = {
  name: 'Billing',
  keyPrefix: 'BILL',
  repositoryUrl: 'https://github.com/acme/billing.git',
};
const listAs = (token?: string, headers?: Record<string, string>) =>
  call(projectsRoute.GET, '/api/v1/projects', { token, headers });
const claims = { sub: 'local|owner', org_id: 'org_demo', 'https://omakase.dev/roles': ['owner'] };

describe('authentication', () => {
  it('lists projects for a user token and an M2M token, each scoped to its org', async () => {
    expect((await listAs(owner)).json!.items.map((p: { name: string }) => p.name)).toEqual(['demo-shop']);
    expect((await listAs(machine)).status).toBe(200);
    expect((await listAs(otherOwner)).json!.items.map((p: { name: string }) => p.name)).toEqual(['secret']);
  });

  it('answers 401 without credentials, and for a malformed Authorization header', async () => {
    expectError(await listAs(), 401, 'unauthenticated');
    expectError(await listAs(undefined, { authorization: 'Basic abc' }), 401, 'invalid_token');
    expectError(await listAs('garbage'), 401, 'invalid_token');
  });

  it('answers 401 for an expired token signed by the real issuer key', async () => {
    const expired = await signWithIssuerKey(stack.issuerDataDir, stack.issuer.url, claims, {
      expiresAt: Math.floor(Date.now() / 1000) - 120,
    });
    const result = await listAs(expired);
    expectError(result, 401, 'invalid_token');
    expect(result.json!.error.message).toBe('token expired');
  });

  it('answers 401 for a forged token (another key, same issuer and kid)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const [header] = owner.split('.');
    const { kid } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(`${stack.issuer.url}/`)
      .setAudience('omakase-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    const result = await listAs(forged);
    expectError(result, 401, 'invalid_token');
    expect(result.json!.error.message).toBe('token signature is invalid');
  });

  it('answers 401 for a genuine token minted for another audience', async () => {
    const token = await signWithIssuerKey(stack.issuerDataDir, stack.issuer.url, claims, {
      expiresAt: Math.floor(Date.now() / 1000) + 300,
      audience: 'another-api',
    });
    expectError(await listAs(token), 401, 'invalid_token');
  });

  it('answers 403 for a valid token whose org is not provisioned', async () => {
    const token = await signWithIssuerKey(
      stack.issuerDataDir,
      stack.issuer.url,
      { ...claims, org_id: 'org_ghost' },
      {
        expiresAt: Math.floor(Date.now() / 1000) + 300,
      },
    );
    expectError(await listAs(token), 403, 'forbidden');
  });
});

describe('projects', () => {
  it('creates, reads, updates and deletes a project as owner', async () => {
    const created = await call(projectsRoute.POST, 'POST /api/v1/projects', {
      token: owner,
      body: validProject,
    });
    expect(created).toMatchObject({
      status: 201,
      json: { name: 'Billing', keyPrefix: 'BILL', defaultBranch: 'main', status: 'active' },
    });
    const id = created.json!.id as string;
    const params = { projectId: id };
    expect((await call(projectRoute.GET, `/api/v1/projects/${id}`, { token: viewer, params })).json!.id).toBe(
      id,
    );
    const patched = await call(projectRoute.PATCH, `PATCH /api/v1/projects/${id}`, {
      token: owner,
      params,
      body: { status: 'paused', settings: { maxConcurrentAgents: 5 } },
    });
    expect(patched.json).toMatchObject({ status: 'paused', settings: { maxConcurrentAgents: 5 } });
    expect(
      (await call(projectRoute.DELETE, `DELETE /api/v1/projects/${id}`, { token: owner, params })).status,
    ).toBe(204);
    expectError(
      await call(projectRoute.GET, `/api/v1/projects/${id}`, { token: owner, params }),
      404,
      'not_found',
    );
  });

  it.each([
    ['keyPrefix', { ...validProject, keyPrefix: 'bill' }],
    ['keyPrefix', { ...validProject, keyPrefix: 'B' }],
    ['repositoryUrl', { ...validProject, repositoryUrl: 'http://insecure.example/x' }],
    ['defaultBranch', { ...validProject, defaultBranch: 'bad..ref' }],
    ['name', { ...validProject, name: '' }],
    ['settings.maxConcurrentAgents', { ...validProject, settings: { maxConcurrentAgents: 21 } }],
    ['settings.budgetPerFeatureUsd', { ...validProject, settings: { budgetPerFeatureUsd: -1 } }],
    [
      'settings.commandAllowlist',
      { ...validProject, settings: { commandAllowlist: Array(51).fill('npm test') } },
    ],
  ])('refuses a bad %s with 422 and writes nothing', async (field, body) => {
    const before = await projectCount();
    expectError(
      await call(projectsRoute.POST, 'POST /api/v1/projects', { token: owner, body }),
      422,
      'validation_failed',
      field,
    );
    expect(await projectCount()).toBe(before);
  });

  it('answers 409 for a duplicate key prefix', async () => {
    const before = await projectCount();
    const body = { ...validProject, keyPrefix: 'SHOP' };
    expectError(
      await call(projectsRoute.POST, 'POST /api/v1/projects', { token: owner, body }),
      409,
      'conflict',
    );
    expect(await projectCount()).toBe(before);
  });

  it('refuses project creation by a viewer and by a member (M2M) with 403', async () => {
    const before = await projectCount();
    for (const token of [viewer, machine]) {
      expectError(
        await call(projectsRoute.POST, 'POST /api/v1/projects', { token, body: validProject }),
        403,
        'forbidden',
      );
    }
    expect(await projectCount()).toBe(before);
  });

  it('answers 404 for another org’s project and leaves it untouched', async () => {
    const { otherProject } = stack.seeded;
    const params = { projectId: otherProject.id };
    expectError(
      await call(projectRoute.DELETE, `DELETE /api/v1/projects/${otherProject.id}`, { token: owner, params }),
      404,
      'not_found',
    );
    expectError(
      await call(projectRoute.GET, '/api/v1/projects/proj_nope', {
        token: owner,
        params: { projectId: 'proj_nope' },
      }),
      404,
      'not_found',
    );
    expect(
      await stack.storage.forOrg(stack.seeded.orgs.org_other!.id).projects.get(otherProject.id),
    ).not.toBeNull();
  });
});

describe('unauthenticated endpoints', () => {
  it('reports health with the database reachable', async () => {
    const result = await call(healthRoute.GET, '/api/health');
    expect({ status: result.status, json: result.json }).toEqual({
      status: 200,
      json: { status: 'ok', database: 'ok' },
    });
  });

  it('serves the OpenAPI document with every /api/v1 path', async () => {
    const doc = (await call(openapiRoute.GET, '/api/v1/openapi.json')).json!;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/features/{featureId}',
        '/api/v1/projects',
        '/api/v1/projects/{projectId}',
        '/api/v1/projects/{projectId}/features',
      ]),
    );
    expect(
      doc.paths['/api/v1/projects'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['name', 'keyPrefix', 'repositoryUrl']);
  });
});
