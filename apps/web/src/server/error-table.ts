/**
 * The one table from an error's code to the API's answer: the ApiError code it becomes (whose
 * HTTP status is API_ERROR_STATUS's) and, for errors whose own message names internals (the
 * store's, the vault's), the message callers see instead. Typed over every code those error
 * classes declare, so a new code does not compile until it has a row.
 */
import type { ApiErrorCode } from '@omakase/api-contract';
import type { AuthErrorCode } from '@omakase/auth';
import type { StorageErrorCode } from '@omakase/db';
import type { MembershipErrorCode } from '@omakase/domain';
import type { SecretsErrorCode } from '@omakase/secrets';

/** Codes of errors whose message is not for callers: their row must say what callers see. */
type InternalCode = StorageErrorCode | SecretsErrorCode;
export type MappedErrorCode = AuthErrorCode | MembershipErrorCode | InternalCode;

type Row<C> = C extends InternalCode ? { as: ApiErrorCode; message: string } : { as: ApiErrorCode };

const SECRETS = { as: 'unavailable', message: 'secrets cannot be opened with the configured key' } as const;
const REFUSED_VALUE = { as: 'validation_failed', message: 'a value was refused by the store' } as const;

export const ERROR_TABLE: { readonly [C in MappedErrorCode]: Row<C> } = {
  // AuthError
  unauthenticated: { as: 'unauthenticated' },
  invalid_token: { as: 'invalid_token' },
  forbidden: { as: 'forbidden' },
  unavailable: { as: 'unavailable' },
  // StorageError; `not_found` is MembershipError's too (which keeps its own message)
  not_found: { as: 'not_found', message: 'resource not found' },
  conflict: { as: 'conflict', message: 'a resource with these values already exists' },
  invalid_reference: REFUSED_VALUE,
  invalid_value: REFUSED_VALUE,
  // MembershipError
  last_owner: { as: 'conflict' },
  already_member: { as: 'conflict' },
  invitation_invalid: { as: 'not_found' },
  invitation_email_mismatch: { as: 'forbidden' },
  // SecretsError
  bad_master_key: SECRETS,
  unwrap_failed: SECRETS,
  decrypt_failed: SECRETS,
  bad_envelope: SECRETS,
};
