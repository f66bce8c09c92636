import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRepositoryUrlAllowed, RepositoryUrlRefused, type Resolver } from '../src/index';

const DNS: Record<string, string[]> = {
  'github.com': ['140.82.112.3'],
  'git.example.org': ['2606:4700:4700::1111', '8.8.8.8'],
  'internal.example.org': ['10.0.0.5'],
  'mixed.example.org': ['8.8.4.4', '192.168.1.10'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'empty.example.org': [],
};
const resolve: Resolver = async (host) => {
  const addresses = DNS[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses;
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'omakase-net-policy-'));
  await mkdir(join(root, 'org_a', 'shop'), { recursive: true });
  await mkdir(join(root, 'org_b', 'secret'), { recursive: true });
  await symlink(join(root, 'org_b', 'secret'), join(root, 'org_a', 'link-to-b'));
  await symlink('../org_b', join(root, 'org_a', 'relative-link'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const policy = () => ({ orgId: 'org_a', resolve, localRepositories: { root, orgs: ['org_a', 'org_b'] } });

async function refusal(url: string, extra: object = {}): Promise<RepositoryUrlRefused> {
  const error = await assertRepositoryUrlAllowed(url, { ...policy(), ...extra }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RepositoryUrlRefused);
  expect((error as RepositoryUrlRefused).field).toBe('repositoryUrl');
  expect((error as RepositoryUrlRefused).message).toMatch(/^repositoryUrl: /);
  return error as RepositoryUrlRefused;
}

describe('assertRepositoryUrlAllowed', () => {
  it('allows a public https host and reports the addresses it resolved to', async () => {
    await expect(assertRepositoryUrlAllowed('https://github.com/a/b', policy())).resolves.toEqual({
      kind: 'https',
      host: 'github.com',
      port: 443,
      path: '/a/b',
      addresses: ['140.82.112.3'],
    });
    const both = await assertRepositoryUrlAllowed('https://git.example.org/x/y.git', policy());
    expect(both.addresses).toEqual(['2606:4700:4700::1111', '8.8.8.8']);
  });

  it.each([
    ['https://internal.example.org/a', /resolves to a private, loopback or reserved address/],
    ['https://mixed.example.org/a', /resolves to a private, loopback or reserved address/],
    ['https://mapped.example.org/a', /resolves to a private, loopback or reserved address/],
    ['https://empty.example.org/a', /does not resolve/],
    ['https://nowhere.example.org/a', /cannot be resolved/],
    ['https://127.0.0.1/x', /private, loopback or reserved/],
    ['https://user:pw@github.com/a/b', /credentials/],
    ['-uhttps://x', /start with '-'/],
    ['file:///etc', /own local repository directory/],
    ['/abs/path', /not a local path/],
  ])('refuses %s', async (url, reason) => {
    expect((await refusal(url)).reason).toMatch(reason);
  });

  it('refuses ssh unless the operator allows it, then checks its host the same way', async () => {
    expect((await refusal('ssh://git@github.com/a/b')).reason).toMatch(/ssh remotes are not enabled/);
    await expect(
      assertRepositoryUrlAllowed('ssh://git@github.com/a/b', { ...policy(), allowSsh: true }),
    ).resolves.toMatchObject({ kind: 'ssh', host: 'github.com', port: 22 });
    expect((await refusal('git@internal.example.org:a/b.git', { allowSsh: true })).reason).toMatch(
      /resolves to a private/,
    );
  });

  it('gives up on a resolver that never answers', async () => {
    const hang: Resolver = () => new Promise(() => {});
    expect((await refusal('https://github.com/a/b', { resolve: hang, resolveTimeoutMs: 20 })).reason).toMatch(
      /cannot be resolved/,
    );
  });

  describe('file:// repositories', () => {
    it("allows one inside the org's own directory, answering its real path", async () => {
      const allowed = await assertRepositoryUrlAllowed(`file://${join(root, 'org_a', 'shop')}`, policy());
      expect(allowed).toMatchObject({ kind: 'file', addresses: [] });
      expect(allowed.path.endsWith(join('org_a', 'shop'))).toBe(true);
    });

    it.each([
      ["another org's directory", () => join(root, 'org_b', 'secret')],
      ["another org's directory through ..", () => `${join(root, 'org_a')}/../org_b/secret`],
      ['a symlink in its own directory pointing into another org', () => join(root, 'org_a', 'link-to-b')],
      ['a relative symlink out of its directory', () => join(root, 'org_a', 'relative-link', 'secret')],
      ['its directory itself', () => join(root, 'org_a')],
      ['the local root', () => root],
      ['a host directory', () => '/etc'],
    ])('refuses %s', async (_name, path) => {
      expect((await refusal(`file://${path()}`)).reason).toMatch(/own local repository directory/);
    });

    it('refuses a path that does not exist', async () => {
      expect((await refusal(`file://${join(root, 'org_a', 'missing')}`)).reason).toMatch(/does not exist/);
    });

    it('refuses every file URL for an org the operator did not list, and without the allowance', async () => {
      const own = `file://${join(root, 'org_c', 'x')}`;
      expect((await refusal(own, { orgId: 'org_c' })).reason).toMatch(/not enabled for this organisation/);
      const shop = `file://${join(root, 'org_a', 'shop')}`;
      expect((await refusal(shop, { localRepositories: null })).reason).toMatch(/not enabled/);
      expect((await refusal(shop, { localRepositories: undefined })).reason).toMatch(/not enabled/);
    });

    it('refuses an org id that is not a plain path segment', async () => {
      const local = { root, orgs: ['../org_b'] };
      const url = `file://${join(root, 'org_b', 'secret')}`;
      expect((await refusal(url, { orgId: '../org_b', localRepositories: local })).reason).toMatch(
        /not enabled/,
      );
    });
  });
});
