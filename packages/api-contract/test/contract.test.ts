import { describe, expect, it } from 'vitest';
import {
  buildOpenApiDocument,
  CreateFeatureBody,
  CreateProjectBody,
  isRepositoryUrl,
  isValidGitRef,
  machineRoutes,
  routes,
} from '../src/index';

const featId = 'feat_01jbz3k8y6m9q2r4t6v8w0x2y4';

describe('CreateFeatureBody', () => {
  it('accepts a full valid body', () => {
    const parsed = CreateFeatureBody.parse({
      title: '  Checkout ',
      description: 'x',
      acceptanceCriteria: ['works'],
      category: 'backend',
      priority: 2,
      dependsOn: [featId],
    });
    expect(parsed.title).toBe('Checkout');
  });

  it.each([
    ['title', { title: '' }],
    ['title', { title: 'a'.repeat(201) }],
    ['description', { title: 't', description: 'é'.repeat(25_001) }],
    ['priority', { title: 't', priority: 5 }],
    ['priority', { title: 't', priority: '1' }],
    ['category', { title: 't', category: 'c'.repeat(51) }],
    ['acceptanceCriteria', { title: 't', acceptanceCriteria: Array(51).fill('a') }],
    ['dependsOn', { title: 't', dependsOn: Array(21).fill(featId) }],
    ['dependsOn', { title: 't', dependsOn: ['feat_nope'] }],
  ])('refuses a bad %s', (field, body) => {
    const result = CreateFeatureBody.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it('counts description bytes, not characters', () => {
    expect(CreateFeatureBody.safeParse({ title: 't', description: 'a'.repeat(50_000) }).success).toBe(true);
    expect(CreateFeatureBody.safeParse({ title: 't', description: 'é'.repeat(25_000) }).success).toBe(true);
  });
});

describe('project fields', () => {
  it.each([
    'https://github.com/acme/shop.git',
    'ssh://git@github.com/acme/shop.git',
    'git@github.com:acme/shop.git',
    'file:///srv/repos/shop',
  ])('accepts repository %s', (url) => expect(isRepositoryUrl(url)).toBe(true));
  it.each([
    'http://github.com/a/b',
    'ftp://x/y',
    'javascript:alert(1)',
    'https://',
    'not a url',
    'https://user:pw@github.com/a/b',
    'https://token@github.com/a/b',
    'ssh://git:pw@github.com/a/b',
    '-uhttps://x',
    'ssh://-oProxyCommand=x@github.com/a',
    'ssh://git@-oProxyCommand=x/a',
    'git@-oProxyCommand=x:a/b',
    'git@github.com:-a/b',
    '-oX@github.com:a/b',
    'https://github.com/a\nb',
  ])('refuses repository %j', (url) => expect(isRepositoryUrl(url)).toBe(false));
  it.each([
    ['https://user:pw@github.com/a/b', 'must not contain credentials'],
    ['-uhttps://x', "must not start with '-'"],
  ])('explains why %s is refused', (repositoryUrl, message) => {
    const result = CreateProjectBody.safeParse({ name: 'S', keyPrefix: 'SHOP', repositoryUrl });
    expect(result.error?.issues[0]).toMatchObject({ path: ['repositoryUrl'] });
    expect(result.error?.issues[0]?.message).toContain(message);
  });
  it('refuses a default branch with a leading dash', () => {
    const body = {
      name: 'S',
      keyPrefix: 'SHOP',
      repositoryUrl: 'https://github.com/a/b',
      defaultBranch: '-x',
    };
    expect(CreateProjectBody.safeParse(body).error?.issues[0]?.path).toEqual(['defaultBranch']);
  });
  it.each(['main', 'release/1.0', 'feat-x'])('accepts ref %s', (ref) =>
    expect(isValidGitRef(ref)).toBe(true),
  );
  it.each([
    '',
    'a..b',
    'a b',
    '/main',
    'main/',
    'x.lock',
    '@',
    'a@{b',
    '.hidden',
    'a~1',
    '-main',
    '--upload-pack=x',
  ])('refuses ref %j', (ref) => expect(isValidGitRef(ref)).toBe(false));
  it('refuses a lowercase key prefix and unknown keys', () => {
    const base = { name: 'Shop', repositoryUrl: 'https://github.com/a/b' };
    expect(CreateProjectBody.safeParse({ ...base, keyPrefix: 'shop' }).error?.issues[0]?.path).toEqual([
      'keyPrefix',
    ]);
    expect(CreateProjectBody.safeParse({ ...base, keyPrefix: 'SHOP', extra: 1 }).success).toBe(false);
  });
});

interface OperationShape {
  requestBody: { content: Record<string, { schema: { properties: { title: { maxLength: number } } } }> };
  parameters: unknown[];
  responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }>;
}

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument();
  it('has one operation per registered route, with request and response schemas', () => {
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations).toHaveLength(Object.keys(routes).length + Object.keys(machineRoutes).length);
    const create = doc.paths['/api/v1/projects/{projectId}/features']!.post as unknown as OperationShape;
    expect(create.requestBody.content['application/json']!.schema.properties.title.maxLength).toBe(200);
    expect(create.parameters[0]).toMatchObject({ name: 'projectId', in: 'path', required: true });
    expect(create.responses['422']!.content['application/json']!.schema.$ref).toBe(
      '#/components/schemas/Error',
    );
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('lists query parameters with their required flag', () => {
    const events = doc.paths['/api/v1/runs/{runId}/events']!.get as unknown as { parameters: unknown[] };
    expect(events.parameters).toContainEqual(expect.objectContaining({ name: 'runId', in: 'path' }));
    expect(events.parameters).toContainEqual(expect.objectContaining({ name: 'afterSeq', in: 'query' }));
  });

  it('documents the machine endpoints with their own credentials', () => {
    const ops = doc.paths as unknown as Record<
      string,
      Record<string, { security?: unknown; responses: object }>
    >;
    expect(ops['/api/v1/runs/{runId}/spec']!.get!.security).toEqual([{ runToken: [] }]);
    expect(ops['/api/v1/runs/{runId}/events']!.post!.security).toEqual([{ runToken: [] }]);
    // The people's side of the same path keeps the default (session or bearer) security.
    expect(ops['/api/v1/runs/{runId}/events']!.get!.security).toBeUndefined();
    const claim = ops['/api/v1/runner/claim']!.post!;
    expect(claim.security).toEqual([{ machineToken: ['runs:claim'] }]);
    expect(Object.keys(claim.responses)).toEqual(expect.arrayContaining(['200', '204', '401', '403', '422']));
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['runToken', 'machineToken']),
    );
  });
});
