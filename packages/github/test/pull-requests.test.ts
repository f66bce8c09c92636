import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHub, GitHubError, parseGitHubRemote } from '../src/index';
import { type FakeGitHub, startFakeGitHub } from '../src/testing/fake-github';

describe('parseGitHubRemote', () => {
  it.each([
    ['https://github.com/acme/shop', { owner: 'acme', repo: 'shop' }],
    ['https://github.com/acme/shop.git', { owner: 'acme', repo: 'shop' }],
    ['https://x-access-token@github.com/acme/shop.git', { owner: 'acme', repo: 'shop' }],
    ['git@github.com:acme/my.repo.git', { owner: 'acme', repo: 'my.repo' }],
    ['ssh://git@github.com/acme/shop', { owner: 'acme', repo: 'shop' }],
  ])('recognises %s', (url, expected) => {
    expect(parseGitHubRemote(url)).toEqual(expected);
  });

  it.each([
    'file:///tmp/repo',
    'https://gitlab.com/acme/shop',
    'https://github.com/acme',
    'https://github.com.evil.io/a/b',
  ])('rejects %s', (url) => {
    expect(parseGitHubRemote(url)).toBeNull();
  });
});

describe('openPullRequest against a loopback GitHub', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({ token: 'ghp_test' });
  });
  afterAll(async () => {
    await fake.stop();
  });

  const request = {
    repoUrl: 'https://github.com/acme/shop.git',
    head: 'omakase/demo-1-wishlist',
    base: 'main',
    title: 'DEMO-1 Wishlist',
    body: 'Implements the wishlist.',
  };

  it('opens a pull request and returns its URL and number; a retry returns the same one', async () => {
    const github = createGitHub({ token: 'ghp_test', baseUrl: fake.url });
    const first = await github.openPullRequest(request);
    expect(first).toEqual({ url: 'https://github.com/acme/shop/pull/1', number: 1 });
    expect(fake.pulls[0]).toMatchObject({
      owner: 'acme',
      repo: 'shop',
      head: request.head,
      base: 'main',
      title: request.title,
    });
    const again = await github.openPullRequest(request);
    expect(again).toEqual(first);
    expect(fake.pulls).toHaveLength(1);
  });

  it('uses an explicit repository instead of the URL when given one', async () => {
    const github = createGitHub({ token: 'ghp_test', baseUrl: fake.url });
    const pr = await github.openPullRequest({
      ...request,
      repoUrl: 'file:///srv/mirror',
      githubRepo: { owner: 'acme', repo: 'api' },
    });
    expect(pr.url).toBe('https://github.com/acme/api/pull/2');
  });

  it('fails with typed errors: not a GitHub remote, bad credentials', async () => {
    const github = createGitHub({ token: 'wrong', baseUrl: fake.url });
    await expect(github.openPullRequest({ ...request, repoUrl: 'file:///tmp/x' })).rejects.toMatchObject({
      code: 'not_github',
    });
    const error = await github.openPullRequest(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
  });
});
