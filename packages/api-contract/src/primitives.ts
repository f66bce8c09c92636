/** Field-level schemas shared by request bodies, server actions and the OpenAPI document. */
import { z } from 'zod';

/** Mirrors `@omakase/domain` ids: `<prefix>_<ulid>`, ULID in lowercase Crockford base32. */
const ULID = '[0-7][0-9a-hjkmnp-tv-z]{25}';
export const idPattern = (prefix: string) => new RegExp(`^${prefix}_${ULID}$`);

export const ProjectIdSchema = z
  .string()
  .regex(idPattern('proj'), 'must be a project id (proj_<ulid>)')
  .transform((v) => v as `proj_${string}`);
export const FeatureIdSchema = z
  .string()
  .regex(idPattern('feat'), 'must be a feature id (feat_<ulid>)')
  .transform((v) => v as `feat_${string}`);

const utf8 = new TextEncoder();
export const byteLength = (value: string) => utf8.encode(value).length;

/** Git's check-ref-format rules, enough to refuse anything git itself would refuse. */
export function isValidGitRef(ref: string): boolean {
  // A leading dash would read as an option to git.
  if (ref.length === 0 || ref.length > 255 || ref === '@' || ref.startsWith('-')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what git forbids
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref)) return false;
  if (ref.includes('..') || ref.includes('@{') || ref.includes('//')) return false;
  if (ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return false;
  return ref.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

export const GitRefSchema = z.string().refine(isValidGitRef, 'must be a valid git branch name');

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;

/** https://…, ssh://…, git@host:path (scp-like ssh) or file:///… */
export function isRepositoryUrl(value: string): boolean {
  if (SCP_LIKE.test(value)) return true;
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'file:') return url.pathname.length > 1 && url.host === '';
  if (url.protocol !== 'https:' && url.protocol !== 'ssh:') return false;
  return url.hostname.length > 0 && url.pathname.length > 1;
}

export const RepositoryUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(isRepositoryUrl, 'must be an https://, ssh:// (or git@host:path) or file:// repository URL');

export const IsoDateSchema = z.iso.datetime();
