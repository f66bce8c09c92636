/**
 * Whether an organisation may use a repository URL: the grammar (repository-url.ts), then every
 * address its host resolves to must be public, and a file:// URL must lie (after resolving
 * symlinks) inside the organisation's own directory of an operator-enabled local root.
 * Called when a project is saved and again before each clone or push (DNS may have changed).
 */

import { lookup } from 'node:dns/promises';
import { realpath } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, sep } from 'node:path';
import { OmakaseError } from '@omakase/domain';
import { isPublicAddress } from './address';
import { type ParsedRepositoryUrl, type ParseOptions, parseRepositoryUrl } from './repository-url';

/** Host name → every address it resolves to. */
export type Resolver = (host: string) => Promise<readonly string[]>;

/** The operator's local-repository allowance: `<root>/<orgId>/…` for the listed orgs only. */
export interface LocalRepositories {
  root: string;
  orgs: readonly string[];
}

export interface RepositoryPolicy extends ParseOptions {
  /** Null or absent: no org may use file:// repositories. */
  localRepositories?: LocalRepositories | null;
  /** Defaults to the system resolver (`dns.lookup`, every address). */
  resolve?: Resolver;
  /** A lookup that does not answer in time is a refusal, not a hang. */
  resolveTimeoutMs?: number;
}

export type AllowedRepository = Omit<ParsedRepositoryUrl, 'ok'> & {
  /** The public addresses the host resolved to (empty for file URLs). */
  addresses: readonly string[];
};

export class RepositoryUrlRefused extends OmakaseError<'repository_url_refused'> {
  readonly field = 'repositoryUrl';
  constructor(readonly reason: string) {
    super('repository_url_refused', `repositoryUrl: ${reason}`);
    this.name = 'RepositoryUrlRefused';
  }
}

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const SAFE_ORG_SEGMENT = /^[A-Za-z0-9_-]+$/;

export async function assertRepositoryUrlAllowed(
  url: string,
  policy: RepositoryPolicy & { orgId: string },
): Promise<AllowedRepository> {
  const parsed = parseRepositoryUrl(url, policy);
  if (!parsed.ok) throw new RepositoryUrlRefused(parsed.reason);
  const { ok: _, ...repository } = parsed;
  if (repository.kind === 'file') {
    return { ...repository, path: await ownLocalRepository(repository.path, policy), addresses: [] };
  }
  if (isIP(repository.host)) return { ...repository, addresses: [repository.host] };
  const addresses = await resolveHost(repository.host, policy);
  if (addresses.length === 0) throw new RepositoryUrlRefused(`host ${repository.host} does not resolve`);
  if (!addresses.every(isPublicAddress)) {
    throw new RepositoryUrlRefused(
      `host ${repository.host} resolves to a private, loopback or reserved address`,
    );
  }
  return { ...repository, addresses };
}

async function resolveHost(host: string, policy: RepositoryPolicy): Promise<readonly string[]> {
  const resolve = policy.resolve ?? systemResolver;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), policy.resolveTimeoutMs ?? 5000);
  });
  try {
    return await Promise.race([resolve(host), timeout]);
  } catch {
    throw new RepositoryUrlRefused(`host ${host} cannot be resolved`);
  } finally {
    clearTimeout(timer);
  }
}

/** The real path of a local repository inside the org's own directory, or a refusal. */
async function ownLocalRepository(path: string, policy: RepositoryPolicy & { orgId: string }) {
  const local = policy.localRepositories;
  if (!local?.orgs.includes(policy.orgId) || !SAFE_ORG_SEGMENT.test(policy.orgId)) {
    throw new RepositoryUrlRefused(
      'must be an https:// URL (local file:// repositories are not enabled for this organisation)',
    );
  }
  const orgRoot = await realpath(join(local.root, policy.orgId)).catch(() => null);
  const target = await realpath(path).catch(() => null);
  if (!orgRoot)
    throw new RepositoryUrlRefused(
      "must be inside this organisation's local repository directory, which does not exist",
    );
  if (!target) throw new RepositoryUrlRefused('names a local repository that does not exist');
  if (!target.startsWith(orgRoot + sep)) {
    throw new RepositoryUrlRefused("must be inside this organisation's own local repository directory");
  }
  return target;
}
