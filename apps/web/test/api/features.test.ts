import { newId } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as featureRoute from '@/app/api/v1/features/[featureId]/route';
import * as featuresRoute from '@/app/api/v1/projects/[projectId]/features/route';
import { call, expectError } from '../support/http';
import { machineToken, userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let member: string; // M2M client, role member in org_demo
let viewer: string;

beforeAll(async () => {
  stack = await startApiStack();
  [member, viewer] = await Promise.all([
    machineToken(stack.issuer.url),
    userToken(stack.issuer.url, 'viewer@demo.local', APP_BASE_URL),
  ]);
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const shopId = () => stack.seeded.shop.id;
const featureCount = async () => (await demo().features.list(shopId())).length;

function create(body: unknown, opts: { token?: string; projectId?: string } = {}) {
  const projectId = opts.projectId ?? shopId();
  return call(featuresRoute.POST, `POST /api/v1/projects/${projectId}/features`, {
    token: opts.token ?? member,
    params: { projectId },
    body,
  });
}

describe('features: happy paths', () => {
  it('creates, reads, lists, updates and deletes a feature', async () => {
    const [cart] = stack.seeded.shopFeatures;
    const created = await create({
      title: 'Wishlist',
      description: 'Save items for later',
      acceptanceCriteria: ['A heart icon toggles the item'],
      category: 'frontend',
      priority: 3,
      dependsOn: [cart!.id],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      key: 'SHOP-3',
      title: 'Wishlist',
      status: 'pending',
      dependsOn: [cart!.id],
    });
    expect(new Date(created.json!.createdAt).toISOString()).toBe(created.json!.createdAt);
    const id = created.json!.id as string;

    const got = await call(featureRoute.GET, `/api/v1/features/${id}`, {
      token: viewer,
      params: { featureId: id },
    });
    expect(got).toMatchObject({ status: 200, json: { id, key: 'SHOP-3' } });

    const list = await call(featuresRoute.GET, `/api/v1/projects/${shopId()}/features`, {
      token: viewer,
      params: { projectId: shopId() },
    });
    expect(list.json!.items.map((f: { key: string }) => f.key)).toEqual(['SHOP-1', 'SHOP-2', 'SHOP-3']);

    const patched = await call(featureRoute.PATCH, `PATCH /api/v1/features/${id}`, {
      token: member,
      params: { featureId: id },
      body: { title: 'Wishlist v2', priority: 1 },
    });
    expect(patched).toMatchObject({ status: 200, json: { title: 'Wishlist v2', priority: 1 } });

    const deleted = await call(featureRoute.DELETE, `DELETE /api/v1/features/${id}`, {
      token: member,
      params: { featureId: id },
    });
    expect(deleted.status).toBe(204);
    expect(await demo().features.get(id as `feat_${string}`)).toBeNull();
  });
});

describe('features: bad input is refused and nothing is written', () => {
  const bigDescription = 'x'.repeat(50_001);
  const unknownFeature = newId('feat');
  it.each([
    ['missing title', {}, 422, 'validation_failed', 'title'],
    ['empty title', { title: '   ' }, 422, 'validation_failed', 'title'],
    ['title > 200', { title: 't'.repeat(201) }, 422, 'validation_failed', 'title'],
    ['wrong type', { title: 42 }, 422, 'validation_failed', 'title'],
    [
      'description > 50 kB',
      { title: 't', description: bigDescription },
      422,
      'validation_failed',
      'description',
    ],
    ['priority out of range', { title: 't', priority: 9 }, 422, 'validation_failed', 'priority'],
    ['priority as string', { title: 't', priority: '1' }, 422, 'validation_failed', 'priority'],
    [
      '> 50 criteria',
      { title: 't', acceptanceCriteria: Array(51).fill('ok') },
      422,
      'validation_failed',
      'acceptanceCriteria',
    ],
    [
      'criterion > 1000',
      { title: 't', acceptanceCriteria: ['a'.repeat(1001)] },
      422,
      'validation_failed',
      'acceptanceCriteria.0',
    ],
    ['category > 50', { title: 't', category: 'c'.repeat(51) }, 422, 'validation_failed', 'category'],
    [
      '> 20 deps',
      { title: 't', dependsOn: Array.from({ length: 21 }, () => newId('feat')) },
      422,
      'validation_failed',
      'dependsOn',
    ],
    ['malformed dep id', { title: 't', dependsOn: ['feat_123'] }, 422, 'validation_failed', 'dependsOn.0'],
    ['unknown dep', { title: 't', dependsOn: [unknownFeature] }, 422, 'unknown_dependency', 'dependsOn'],
    ['unknown field', { title: 't', owner: 'me' }, 422, 'validation_failed', undefined],
    ['array body', [{ title: 't' }], 422, 'validation_failed', undefined],
  ])('%s', async (_name, body, status, code, field) => {
    const before = await featureCount();
    expectError(await create(body), status, code, field);
    expect(await featureCount()).toBe(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const before = await featureCount();
    const result = await call(featuresRoute.POST, `POST /api/v1/projects/${shopId()}/features`, {
      token: member,
      params: { projectId: shopId() },
      rawBody: '{"title": ',
    });
    expectError(result, 400, 'invalid_json');
    expect(await featureCount()).toBe(before);
  });

  it('refuses a body over the byte cap with 413', async () => {
    const result = await create({ title: 't', description: 'x'.repeat(300 * 1024) });
    expectError(result, 413, 'payload_too_large');
  });

  it('refuses another org’s dependency as unknown', async () => {
    const before = await featureCount();
    expectError(
      await create({ title: 't', dependsOn: [stack.seeded.otherFeature.id] }),
      422,
      'unknown_dependency',
      'dependsOn',
    );
    expect(await featureCount()).toBe(before);
  });

  it('refuses a dependency cycle with the cycle path, leaving dependencies unchanged', async () => {
    const [cart, checkout] = stack.seeded.shopFeatures;
    const result = await call(featureRoute.PATCH, `PATCH /api/v1/features/${cart!.id}`, {
      token: member,
      params: { featureId: cart!.id },
      body: { dependsOn: [checkout!.id] },
    });
    expectError(result, 422, 'dependency_cycle', 'dependsOn');
    expect(result.json!.error.message).toContain('SHOP-1 → SHOP-2 → SHOP-1');
    expect((await demo().features.get(cart!.id))!.dependsOn).toEqual([]);
  });

  it('refuses a self dependency', async () => {
    const [cart] = stack.seeded.shopFeatures;
    const result = await call(featureRoute.PATCH, `PATCH /api/v1/features/${cart!.id}`, {
      token: member,
      params: { featureId: cart!.id },
      body: { dependsOn: [cart!.id] },
    });
    expectError(result, 422, 'self_dependency', 'dependsOn');
  });

  it.each([
    ['malformed', 'feat_not-a-ulid'],
    ['unknown', newId('feat')],
  ])('answers 404 for a %s feature id', async (_kind, id) => {
    const result = await call(featureRoute.GET, `/api/v1/features/${id}`, {
      token: member,
      params: { featureId: id },
    });
    expectError(result, 404, 'not_found');
  });

  it('answers 404 for another org’s feature and project, and writes nothing there', async () => {
    const { otherFeature, otherProject, orgs } = stack.seeded;
    for (const handler of [featureRoute.GET, featureRoute.PATCH, featureRoute.DELETE]) {
      const result = await call(handler, `PATCH /api/v1/features/${otherFeature.id}`, {
        token: member,
        params: { featureId: otherFeature.id },
        body: { title: 'pwned' },
      });
      expectError(result, 404, 'not_found');
    }
    expectError(await create({ title: 'intruder' }, { projectId: otherProject.id }), 404, 'not_found');
    const other = stack.storage.forOrg(orgs.org_other!.id);
    expect(await other.features.list(otherProject.id)).toEqual([
      expect.objectContaining({ id: otherFeature.id, title: 'Hidden' }),
    ]);
  });

  it('refuses a viewer’s write with 403 before looking at the body', async () => {
    const before = await featureCount();
    expectError(await create({ title: 'From a viewer' }, { token: viewer }), 403, 'forbidden');
    expectError(await create({}, { token: viewer }), 403, 'forbidden');
    expect(await featureCount()).toBe(before);
  });
});
