/**
 * Prefixed, sortable ids: `<prefix>_<ulid>` with the ULID in lowercase Crockford base32.
 * Lowercase ULIDs sort the same as uppercase ones (digits before letters in both), so ids
 * created later compare greater, also within one millisecond (monotonic factory).
 */
import { decodeTime, monotonicFactory } from 'ulid';
import type { EventId, FeatureId, MemberId, OrgId, ProjectId, RunId } from './entities';

export type WorkItemId = `wrk_${string}`;

export interface IdTypes {
  org: OrgId;
  mem: MemberId;
  proj: ProjectId;
  feat: FeatureId;
  run: RunId;
  evt: EventId;
  wrk: WorkItemId;
}
export type IdPrefix = keyof IdTypes;
export const ID_PREFIXES = [
  'org',
  'mem',
  'proj',
  'feat',
  'run',
  'evt',
  'wrk',
] as const satisfies readonly IdPrefix[];

const nextUlid = monotonicFactory();

/** First char 0-7: a 48-bit timestamp never exceeds `7ZZZZZZZZZ`. No I, L, O, U in Crockford. */
const ULID_PATTERN = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;

export function newId<P extends IdPrefix>(prefix: P): IdTypes[P] {
  return `${prefix}_${nextUlid().toLowerCase()}` as IdTypes[P];
}

export function isId<P extends IdPrefix>(prefix: P, value: unknown): value is IdTypes[P] {
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) return false;
  return ULID_PATTERN.test(value.slice(prefix.length + 1));
}

export type ParsedId = { [P in IdPrefix]: { prefix: P; id: IdTypes[P] } }[IdPrefix];

/** Parses any known id; `null` when the prefix is unknown or the ULID part is malformed. */
export function parseId(value: unknown): ParsedId | null {
  if (typeof value !== 'string') return null;
  const separator = value.indexOf('_');
  if (separator < 0) return null;
  const prefix = value.slice(0, separator);
  if (!(ID_PREFIXES as readonly string[]).includes(prefix)) return null;
  return isId(prefix as IdPrefix, value) ? ({ prefix, id: value } as ParsedId) : null;
}

/** Milliseconds since the epoch at which the id was created. */
export function idTime(id: string): number {
  return decodeTime(id.slice(id.indexOf('_') + 1).toUpperCase());
}
