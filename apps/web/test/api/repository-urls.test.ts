/**
 * Repository URLs on project create and update (real stack, in-process DNS): local paths, file://
 * outside the org's own local directory, loopback/private/link-local hosts (also after DNS),
 * credentials, leading dashes and (not enabled) ssh are refused with 422 naming repositoryUrl and
 * nothing is stored; the demo org still creates a project on its own local repository.
 */
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as projectRoute from '@/app/api/v1/projects/[projectId]/route';
import * as projectsRoute from '@/app/api/v1/projects/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let owner: string;
let otherOwner: string;
let otherOrgDir: string;

beforeAll(async () => {
  stack = await startApiStack();
  [owner, otherOwner] = await Promise.all([
    userToken(stack.issuer.url, 'owner@demo.local', APP_BASE_URL),
    userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL),
  ]);
  otherOrgDir = join(stack.dataDir, 'repos', stack.seeded.orgs.org_other!.id, 'secret');
  await mkdir(otherOrgDir, { recursive: true });
  await symlink(otherOrgDir, join(stack.dataDir, 'repos', stack.seeded.orgs.org_demo!.id, 'link-to-other'));
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const projects = async () => (await demo().projects.list()).map((p) => `${p.name} ${p.repositoryUrl}`);
const create = (repositoryUrl: string, token = owner, keyPrefix = 'REPO') =>
  call(projectsRoute.POST, 'POST /api/v1/projects', {
    token,
    body: { name: `Repo ${keyPrefix}`, keyPrefix, repositoryUrl },
  });

const BAD_URLS: [string, () => string][] = [
  ['a host directory', () => 'file:///etc'],
  ['an absolute path', () => '/abs/path'],
  ['a relative path', () => '../rel'],
  ['loopback', () => 'https://127.0.0.1/x'],
  ['IPv6 loopback', () => 'https://[::1]/x'],
  ['IPv4-mapped private', () => 'https://[::ffff:10.0.0.1]/x'],
  ['cloud metadata', () => 'https://169.254.169.254/latest'],
  ['credentials', () => 'https://user:pw@github.com/a/b'],
  ['a leading dash', () => '-uhttps://x'],
  ['ssh (not enabled)', () => 'ssh://git@github.com/a/b'],
  ['scp-like ssh (not enabled)', () => 'git@github.com:a/b.git'],
  ['a name resolving to 10.0.0.5', () => 'https://git.internal-corp.example/a/b'],
  ['a name resolving to one public and one private address', () => 'https://split.example.com/a/b'],
  ['a name that does not resolve', () => 'https://nowhere.example.net/a/b'],
  ["another org's local repository", () => `file://${otherOrgDir}`],
  [
    "a symlink in the org's own directory into another org's",
    () => `file://${join(stack.dataDir, 'repos', stack.seeded.orgs.org_demo!.id, 'link-to-other')}`,
  ],
];

describe('repository URLs', () => {
  it.each(BAD_URLS)(
    'create refuses %s with 422 naming repositoryUrl, storing nothing',
    async (_name, url) => {
      const before = await projects();
      const result = await create(url());
      expectError(result, 422, 'validation_failed', 'repositoryUrl');
      expect(result.json!.error.message).toMatch(/^repositoryUrl: /);
      expect(await projects()).toEqual(before);
    },
  );

  it.each(BAD_URLS)(
    'update refuses %s with 422 naming repositoryUrl, changing nothing',
    async (_name, url) => {
      const { shop } = stack.seeded;
      const result = await call(projectRoute.PATCH, `PATCH /api/v1/projects/${shop.id}`, {
        token: owner,
        params: { projectId: shop.id },
        body: { repositoryUrl: url(), name: 'renamed' },
      });
      expectError(result, 422, 'validation_failed', 'repositoryUrl');
      expect(await demo().projects.get(shop.id)).toMatchObject({
        name: shop.name,
        repositoryUrl: shop.repositoryUrl,
      });
    },
  );

  it('explains a private destination in words', async () => {
    const result = await create('https://git.internal-corp.example/a/b');
    expect(result.json!.error.message).toBe(
      'repositoryUrl: host git.internal-corp.example resolves to a private, loopback or reserved address',
    );
  });

  it('the demo org creates a project on its own local repository; a public https host works for any org', async () => {
    const local = await create(`file://${stack.demoRepoDir}`, owner, 'LOCAL');
    expect(local).toMatchObject({ status: 201, json: { repositoryUrl: `file://${stack.demoRepoDir}` } });
    const https = await create('https://gitlab.com/acme/shop.git', otherOwner, 'PUB');
    expect(https.status).toBe(201);
  });

  it('an org the operator did not list may not use file:// even inside its own directory', async () => {
    const other = stack.storage.forOrg(stack.seeded.orgs.org_other!.id);
    const before = (await other.projects.list()).length;
    const result = await create(`file://${otherOrgDir}`, otherOwner, 'OWN');
    expectError(result, 422, 'validation_failed', 'repositoryUrl');
    expect(result.json!.error.message).toMatch(/not enabled for this organisation/);
    expect((await other.projects.list()).length).toBe(before);
  });
});
