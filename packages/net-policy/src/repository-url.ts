/**
 * The grammar of a repository URL the platform will clone from or push to, checked before any
 * DNS or filesystem access: https (ssh when the operator allows it) to a fully qualified public
 * host on the scheme's port, or `file:///…` (allowed later only for the operator's local orgs).
 * Deliberately stricter than git: whatever passes reads the same to us, to git and to curl.
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isPublicAddress } from './address';

export type RepositoryUrlKind = 'https' | 'ssh' | 'file';

export interface ParsedRepositoryUrl {
  ok: true;
  kind: RepositoryUrlKind;
  /** Lower-case host name or IP literal (IPv6 without brackets); empty for file URLs. */
  host: string;
  /** The port git will connect to; null for file URLs. */
  port: number | null;
  /** The repository path on the host; for file URLs the absolute local path. */
  path: string;
}

export interface RepositoryUrlRefusal {
  ok: false;
  /** Human reason, completing "repositoryUrl …", e.g. "must not contain credentials". */
  reason: string;
}

export interface ParseOptions {
  /** ssh:// and scp-like git@host:path remotes (they use the host's ssh identity): off by default. */
  allowSsh?: boolean;
  /** Ports besides the scheme's default (443 for https, 22 for ssh). */
  allowedPorts?: readonly number[];
}

const DEFAULT_PORT = { https: 443, ssh: 22 } as const;
const MAX_LENGTH = 2000;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SSH_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;
const REMOTE_PATH = /^\/[A-Za-z0-9._~%/+-]*$/;
const SCP_PATH = /^[A-Za-z0-9._~][A-Za-z0-9._~%/+-]*$/;
/** Names that resolve to this machine or a private network whatever public DNS says. */
const LOCAL_NAMES =
  /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home|corp|home\.arpa|arpa|onion)$/;

const refuse = (reason: string): RepositoryUrlRefusal => ({ ok: false, reason });

export function parseRepositoryUrl(
  value: unknown,
  opts: ParseOptions = {},
): ParsedRepositoryUrl | RepositoryUrlRefusal {
  if (typeof value !== 'string' || value.length === 0) return refuse('is required');
  if (value.length > MAX_LENGTH) return refuse(`must be at most ${MAX_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\x00-\x20\x7f]/.test(value)) return refuse('must not contain spaces or control characters');
  if (/[^\x21-\x7e]/.test(value)) return refuse('must be ASCII (write international host names as xn--…)');
  if (value.startsWith('-')) return refuse("must not start with '-' (git would read it as an option)");
  if (/[\\?#]/.test(value)) return refuse('must not contain a backslash, query or fragment');

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'https' && value.slice(6, 8) === '//') return parseRemote('https', value.slice(8), opts);
  if (scheme === 'ssh' && value.slice(4, 6) === '//') {
    if (!opts.allowSsh)
      return refuse('must be an https:// URL (ssh remotes are not enabled on this deployment)');
    return parseRemote('ssh', value.slice(6), opts);
  }
  if (scheme === 'file') return parseFile(value);
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(value))
    return refuse(`must be an https:// URL (remote helpers like "${scheme}::" are not allowed)`);
  const scp = /^(?:([^@/:]+)@)?([^@/:[\]]+):(?!\/\/)(.*)$/.exec(value);
  if (scp) {
    if (!opts.allowSsh)
      return refuse('must be an https:// URL (ssh remotes are not enabled on this deployment)');
    return parseScpLike(scp[1], scp[2]!, scp[3]!);
  }
  if (/^[/.~]/.test(value)) return refuse('must be an https:// URL, not a local path');
  if (scheme === 'http') return refuse('must use https://, not plain http');
  return refuse(scheme ? `must be an https:// URL ("${scheme}:" is not allowed)` : 'must be an https:// URL');
}

function parseRemote(kind: 'https' | 'ssh', rest: string, opts: ParseOptions) {
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    if (kind === 'https' || userinfo.includes(':')) {
      return refuse("must not contain credentials (save a token in the organisation's settings instead)");
    }
    if (!SSH_USER.test(userinfo)) return refuse('has an invalid ssh user name');
  }
  const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d{1,5}))?$/.exec(authority.slice(at + 1));
  if (!hostPort) return refuse('has an invalid host or port');
  const host = checkHost(hostPort[1]!);
  if (typeof host !== 'string') return host;
  const port = hostPort[2] === undefined ? DEFAULT_PORT[kind] : Number(hostPort[2]);
  if (port < 1 || port > 65535) return refuse('has an invalid port');
  if (port !== DEFAULT_PORT[kind] && !opts.allowedPorts?.includes(port)) {
    return refuse(`must use the default ${kind} port ${DEFAULT_PORT[kind]} (port ${port} is not allowed)`);
  }
  const badPath = checkPath(path, REMOTE_PATH);
  if (badPath) return badPath;
  return { ok: true as const, kind, host, port, path };
}

function parseScpLike(user: string | undefined, rawHost: string, path: string) {
  if (user !== undefined && !SSH_USER.test(user)) return refuse('has an invalid ssh user name');
  const host = checkHost(rawHost);
  if (typeof host !== 'string') return host;
  if (path.startsWith('-')) return refuse("must not have a path starting with '-'");
  const badPath = checkPath(path, SCP_PATH);
  if (badPath) return badPath;
  return { ok: true as const, kind: 'ssh' as const, host, port: DEFAULT_PORT.ssh, path };
}

function checkPath(path: string, grammar: RegExp): RepositoryUrlRefusal | null {
  if (path.replace(/^\/+/, '') === '') return refuse('must name a repository path after the host');
  if (!grammar.test(path) || /%(?![0-9A-Fa-f]{2})/.test(path)) {
    return refuse('has characters not allowed in a repository path');
  }
  return null;
}

/** The canonical host, or a refusal: IP literals must be public, names fully qualified and not local. */
function checkHost(raw: string): string | RepositoryUrlRefusal {
  if (raw.startsWith('[')) {
    const ip = raw.slice(1, -1);
    if (isIP(ip) !== 6) return refuse('has an invalid IPv6 address');
    return isPublicAddress(ip)
      ? ip.toLowerCase()
      : refuse('must not point at a private, loopback or reserved address');
  }
  if (raw.startsWith('-')) return refuse("must not have a host starting with '-'");
  if (!/^[A-Za-z0-9.-]+$/.test(raw)) return refuse('has an invalid host name');
  // WHATWG normalisation turns 0x7f.1, 2130706433 or 127.1 into the IPv4 address resolvers see.
  let host: string;
  try {
    host = new URL(`https://${raw}/`).hostname;
  } catch {
    return refuse('has an invalid host name');
  }
  if (isIP(host) === 4) {
    return isPublicAddress(host) ? host : refuse('must not point at a private, loopback or reserved address');
  }
  host = host.replace(/\.$/, '');
  const labels = host.split('.');
  if (host.length > 253 || !labels.every((l) => LABEL.test(l))) return refuse('has an invalid host name');
  if (labels.length < 2) return refuse('must name a fully qualified public host (e.g. github.com)');
  if (LOCAL_NAMES.test(host)) return refuse('must not point at a local or internal host name');
  if (/^\d+$/.test(labels.at(-1)!)) return refuse('has an invalid host name');
  return host;
}

function parseFile(value: string) {
  if (!value.startsWith('file:///'))
    return refuse('must be a file:/// URL with an absolute path and no host');
  let path: string;
  try {
    path = fileURLToPath(new URL(value));
  } catch {
    return refuse('is not a valid file URL');
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a decoded control character is refused
  if (path === '/' || /[\x00-\x1f\x7f]/.test(path)) return refuse('must name a repository directory');
  return { ok: true as const, kind: 'file' as const, host: '', port: null, path };
}
