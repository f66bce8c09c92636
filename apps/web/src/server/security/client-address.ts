/**
 * The client address that per-IP rate limits key on. `X-Forwarded-For` is client-supplied text:
 * it is believed only hop by hop from the right, and only while the hop that appended it is a
 * configured proxy (`TRUSTED_PROXIES`: IPs/CIDRs). Without trusted proxies it is ignored and the
 * socket peer is the client.
 *
 * Next.js hands route handlers and middleware headers only, and fills `X-Forwarded-For` from the
 * socket only when the client sent none. So the HTTP server stamps each request with its socket
 * peer (peer-stamp.ts) in a header carrying a per-process random token: a client cannot forge
 * it, and a value without the token is ignored.
 */
import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export const PEER_HEADER = 'x-omakase-peer';
const UNKNOWN = 'unknown';

const holder = globalThis as typeof globalThis & {
  __omakasePeerToken?: string;
  __omakaseTrustedProxies?: { source: string; list: BlockList };
};

function peerToken(): string {
  holder.__omakasePeerToken ??= randomBytes(16).toString('hex');
  return holder.__omakasePeerToken;
}

/** The stamp the HTTP server puts on a request it received from `address` (and tests use as "the socket"). */
export function peerStamp(address: string): string {
  return `${peerToken()} ${normalise(address)}`;
}

/** The socket peer of this request, or null when the request carries no genuine stamp. */
export function peerAddress(headers: Headers): string | null {
  const [token, address] = (headers.get(PEER_HEADER) ?? '').split(' ');
  return token === peerToken() && address && isIP(address) ? address : null;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one key whichever socket family it used. */
function normalise(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed.toLowerCase();
}

/** Parses `TRUSTED_PROXIES` (comma-separated IPs or CIDRs); throws naming the bad entry. */
export function parseTrustedProxies(value: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
    list.addSubnet(normalise(address), prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

function trustedProxies(source: string | undefined): BlockList | null {
  if (!source?.trim()) return null;
  if (holder.__omakaseTrustedProxies?.source !== source) {
    holder.__omakaseTrustedProxies = { source, list: parseTrustedProxies(source) };
  }
  return holder.__omakaseTrustedProxies.list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client: the socket peer, or — when the peer is a trusted proxy — the right-most
 * `X-Forwarded-For` hop that is not itself a trusted proxy (the left-most if all are).
 */
export function clientAddress(headers: Headers, trustedProxiesSetting: string | undefined): string {
  const peer = peerAddress(headers);
  const trusted = trustedProxies(trustedProxiesSetting);
  if (!peer) return UNKNOWN;
  if (!trusted || !isTrusted(trusted, peer)) return peer;
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => normalise(hop))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // Anything that is not an address was written by someone we do not trust: stop there.
    if (!isIP(hop)) return hops[i + 1] ?? peer;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return hops[0] ?? peer;
}
