import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../src/index';

describe('isPublicAddress', () => {
  it.each([
    '140.82.112.3', // github.com
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:140.82.112.3', // mapped public
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('%s is public', (ip) => expect(isPublicAddress(ip)).toBe(true));

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback range', '127.45.6.7'],
    ['this network', '0.0.0.0'],
    ['this network range', '0.1.2.3'],
    ['private 10/8', '10.0.0.5'],
    ['private 172.16/12', '172.16.0.1'],
    ['private 172.31', '172.31.255.255'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local / metadata', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['CGNAT top', '100.127.255.254'],
    ['IETF assignments', '192.0.0.8'],
    ['TEST-NET-1', '192.0.2.1'],
    ['TEST-NET-2', '198.51.100.7'],
    ['TEST-NET-3', '203.0.113.9'],
    ['benchmarking', '198.18.0.1'],
    ['multicast', '224.0.0.1'],
    ['reserved', '240.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with zone', 'fe80::1%eth0'],
    ['ULA fc00::/7', 'fd12:3456::1'],
    ['ULA fc', 'fc00::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['site-local', 'fec0::1'],
    ['documentation 2001:db8', '2001:db8::1'],
    ['documentation 3fff', '3fff::1'],
    ['Teredo', '2001:0:4136:e378::1'],
    ['mapped loopback (dotted)', '::ffff:127.0.0.1'],
    ['mapped private (hex)', '::ffff:a00:1'],
    ['mapped metadata', '::ffff:169.254.169.254'],
    ['compatible', '::127.0.0.1'],
    ['NAT64 of a private address', '64:ff9b::10.0.0.1'],
    ['NAT64 local-use', '64:ff9b:1::808:808'],
    ['6to4 of a private address', '2002:c0a8:101::1'],
    ['bracketed loopback', '[::1]'],
    ['not an address', 'github.com'],
    ['empty', ''],
  ])('%s (%s) is not public', (_name, ip) => expect(isPublicAddress(ip)).toBe(false));
});
