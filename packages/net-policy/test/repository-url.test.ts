import { describe, expect, it } from 'vitest';
import { parseRepositoryUrl } from '../src/index';

const reasonOf = (value: string, opts = {}) => {
  const result = parseRepositoryUrl(value, opts);
  return result.ok ? null : result.reason;
};

describe('parseRepositoryUrl', () => {
  it.each([
    ['https://github.com/a/b', { kind: 'https', host: 'github.com', port: 443, path: '/a/b' }],
    [
      'https://GitHub.com./acme/shop.git',
      { kind: 'https', host: 'github.com', port: 443, path: '/acme/shop.git' },
    ],
    ['https://gitlab.com:443/g/sub/p', { kind: 'https', host: 'gitlab.com', port: 443, path: '/g/sub/p' }],
    ['https://140.82.112.3/a/b', { kind: 'https', host: '140.82.112.3', port: 443, path: '/a/b' }],
    ['file:///srv/repos/org_1/shop', { kind: 'file', host: '', port: null, path: '/srv/repos/org_1/shop' }],
  ])('accepts %s', (value, expected) => {
    expect(parseRepositoryUrl(value)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['ssh://git@github.com/a/b', { kind: 'ssh', host: 'github.com', port: 22, path: '/a/b' }],
    ['git@github.com:a/b.git', { kind: 'ssh', host: 'github.com', port: 22, path: 'a/b.git' }],
    ['ssh://git@gitlab.com:2222/a/b', { kind: 'ssh', host: 'gitlab.com', port: 2222, path: '/a/b' }],
  ])('accepts %s when ssh is allowed', (value, expected) => {
    expect(parseRepositoryUrl(value, { allowSsh: true, allowedPorts: [2222] })).toEqual({
      ok: true,
      ...expected,
    });
  });

  it.each([
    ['ssh://git@github.com/a/b', /ssh remotes are not enabled/],
    ['git@github.com:a/b.git', /ssh remotes are not enabled/],
  ])('refuses %s without the ssh allowance', (value, reason) => {
    expect(reasonOf(value)).toMatch(reason);
  });

  it.each([
    ['/abs/path', /not a local path/],
    ['../rel', /not a local path/],
    ['./repo', /not a local path/],
    ['~/repo', /not a local path/],
    ['https://127.0.0.1/x', /private, loopback or reserved/],
    ['https://[::1]/x', /private, loopback or reserved/],
    ['https://[::ffff:10.0.0.1]/x', /private, loopback or reserved/],
    ['https://[fe80::1]/x', /private, loopback or reserved/],
    ['https://169.254.169.254/latest', /private, loopback or reserved/],
    ['https://0x7f.1/x', /private, loopback or reserved/],
    ['https://2130706433/x', /private, loopback or reserved/],
    ['https://10.1/x', /private, loopback or reserved/],
    ['https://localhost/x', /fully qualified/],
    ['https://localhost./x', /fully qualified/],
    ['https://api.localhost/x', /local or internal/],
    ['https://metadata.google.internal/x', /local or internal/],
    ['https://printer.local/x', /local or internal/],
    ['https://gitlab/x', /fully qualified/],
    ['https://user:pw@github.com/a/b', /credentials/],
    ['https://token@github.com/a/b', /credentials/],
    ['https://github.com:8443/a/b', /port 8443 is not allowed/],
    ['https://github.com:0/a/b', /invalid port/],
    ['https://github.com', /repository path/],
    ['https://github.com/', /repository path/],
    ['https://github.com/a/b?x=1', /query/],
    ['https://github.com\\@evil.com/a', /backslash/],
    ['https://git hub.com/a', /spaces or control/],
    ['https://github.com/a\nb', /spaces or control/],
    ['https://github.com/a\u0000', /spaces or control/],
    ['https://gïthub.com/a', /ASCII/],
    ['https://-github.com/a', /invalid host name|starting with '-'/],
    ['https://[zz::1]/a', /invalid IPv6/],
    ['-uhttps://x', /start with '-'/],
    ['--upload-pack=touch /tmp/x', /spaces|start with '-'/],
    ['http://github.com/a/b', /plain http/],
    ['git://github.com/a/b', /"git:" is not allowed/],
    ['ext::sh', /remote helpers/],
    ['fd::3', /remote helpers/],
    ['ftp://x.org/y', /"ftp:" is not allowed/],
    ['javascript:alert(1)', /https/],
    ['file://host/srv/x', /no host/],
    ['file:///', /repository directory/],
    ['file:///a%00b', /repository directory/],
    ['', /required/],
    [`https://github.com/${'a'.repeat(2000)}`, /at most 2000/],
  ])('refuses %j', (value, reason) => {
    expect(reasonOf(value)).toMatch(reason);
  });

  it.each([
    ['ssh://user:pw@github.com/a/b', /credentials/],
    ['ssh://-oProxyCommand=touch@github.com/a', /ssh user/],
    ['ssh://git@-oProxyCommand=x/a', /starting with '-'/],
    ['git@github.com:-x/y', /starting with '-'/],
    ['-oProxyCommand=x@github.com:a/b', /start with '-'/],
    ['git@127.0.0.1:a/b', /private, loopback or reserved/],
    ['ssh://git@[::1]/a/b', /private, loopback or reserved/],
    ['ssh://git@github.com:2200/a/b', /port 2200 is not allowed/],
  ])('refuses ssh %j even when ssh is allowed', (value, reason) => {
    expect(reasonOf(value, { allowSsh: true })).toMatch(reason);
  });
});
