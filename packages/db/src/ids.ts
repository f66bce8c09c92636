import { ulid } from 'ulid';

/**
 * Prefixed, time-sortable ids: `<prefix>_<26-char ULID>`.
 * Local stand-in matching the format of `@omakase/domain`'s `newId`; switch once it lands.
 */
export function newId<P extends string>(prefix: P): `${P}_${string}` {
  return `${prefix}_${ulid()}`;
}
