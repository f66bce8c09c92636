/**
 * Which IP addresses a repository host may resolve to: public unicast only. Loopback, private,
 * link-local, CGNAT, multicast, documentation and reserved ranges are refused, and IPv6 forms that
 * embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they embed.
 */
import { BlockList, isIP } from 'node:net';

/** IANA IPv4 special-purpose ranges that never name a public repository host. */
const NON_PUBLIC_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['192.175.48.0', 24], // AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

/** Inside global unicast (2000::/3), the blocks that are still not public destinations. */
const NON_PUBLIC_GLOBAL_V6: readonly [string, number][] = [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID…
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
];

const v4Blocks = new BlockList();
for (const [net, prefix] of NON_PUBLIC_V4) v4Blocks.addSubnet(net, prefix, 'ipv4');
const v6Blocks = new BlockList();
for (const [net, prefix] of NON_PUBLIC_GLOBAL_V6) v6Blocks.addSubnet(net, prefix, 'ipv6');

/** True only for a public unicast address; anything unparsable is not public. */
export function isPublicAddress(ip: string): boolean {
  const address = ip.replace(/^\[|\]$/g, '');
  const family = isIP(address);
  if (family === 4) return !v4Blocks.check(address, 'ipv4');
  if (family !== 6 || address.includes('%')) return false; // a zone id means link-local
  const words = ipv6Words(address);
  if (!words) return false;
  const embedded = embeddedIpv4(words);
  if (embedded !== undefined) return embedded !== null && !v4Blocks.check(embedded, 'ipv4');
  // Only global unicast (2000::/3) is public: this excludes ::, ::1, fc00::/7, fe80::/10, ff00::/8…
  if ((words[0]! & 0xe000) !== 0x2000) return false;
  return !v6Blocks.check(address, 'ipv6');
}

/**
 * The IPv4 address inside an IPv6 form that carries one; null for forms refused outright
 * (IPv4-compatible, NAT64 local-use); undefined when the address embeds none.
 */
function embeddedIpv4(w: readonly number[]): string | null | undefined {
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (zero(0, 5) && w[5] === 0xffff) return v4(w[6]!, w[7]!); // ::ffff:a.b.c.d
  if (zero(0, 6)) return null; // ::, ::1 and deprecated ::a.b.c.d
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return v4(w[6]!, w[7]!); // NAT64 64:ff9b::/96
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return null; // NAT64 local-use 64:ff9b:1::/48
  if (w[0] === 0x2002) return v4(w[1]!, w[2]!); // 6to4 2002:a.b.c.d::/48
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (`::` expanded, a trailing dotted quad converted). */
function ipv6Words(address: string): number[] | null {
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((h) =>
    Number.parseInt(h, 16),
  );
  return words.length === 8 && words.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)
    ? words
    : null;
}
