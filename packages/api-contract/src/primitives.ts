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

// No segment may start with '-': git or ssh would read it as an option.
const SCP_LIKE = /^[A-Za-z0-9._][A-Za-z0-9._-]*@[A-Za-z0-9.][A-Za-z0-9.-]*:[A-Za-z0-9._~][A-Za-z0-9._~/-]*$/;

/** User name or password in the URL (https: any; ssh: a password). Tokens belong in the org's secrets. */
export function hasUrlCredentials(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'https:') return url.username !== '' || url.password !== '';
  return url.password !== '';
}

/**
 * https://…, ssh://…, git@host:path (scp-like ssh) or file:///… — syntax only. Which hosts an
 * organisation may reach (public ones; file:// only for the operator's local orgs) is decided on
 * the server by @omakase/net-policy.
 */
export function isRepositoryUrl(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
  if (value.startsWith('-') || /[\x00-\x20\x7f\\]/.test(value)) return false;
  if (SCP_LIKE.test(value)) return true;
  if (!URL.canParse(value) || hasUrlCredentials(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'file:') return url.pathname.length > 1 && url.host === '';
  if (url.protocol !== 'https:' && url.protocol !== 'ssh:') return false;
  if (url.hostname.startsWith('-') || url.username.startsWith('-')) return false;
  return url.hostname.length > 0 && url.pathname.length > 1;
}

export const RepositoryUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (v) => !hasUrlCredentials(v),
    "must not contain credentials (save a token in the organisation's settings)",
  )
  .refine((v) => !v.startsWith('-'), "must not start with '-'")
  .refine(isRepositoryUrl, 'must be an https://, ssh:// (or git@host:path) or file:// repository URL');

export const IsoDateSchema = z.iso.datetime();
