import { API_ERROR_STATUS } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import { StorageError } from '@omakase/db';
import { MembershipError, OmakaseError } from '@omakase/domain';
import { LinearIntegrationError } from '@omakase/linear';
import { SecretsError } from '@omakase/secrets';
import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from '@/server/api-error';
import { ERROR_TABLE } from '@/server/error-table';

const answer = (error: unknown) => {
  const api = toApiError(error);
  return { status: api.status, ...api.toBody().error };
};

describe('the error table', () => {
  it('maps every row to a code the API declares', () => {
    for (const row of Object.values(ERROR_TABLE)) expect(API_ERROR_STATUS).toHaveProperty(row.as);
  });

  it('answers caller-facing errors with their own message', () => {
    expect(answer(new AuthError('invalid_token', 'token expired'))).toEqual({
      status: 401,
      code: 'invalid_token',
      message: 'token expired',
    });
    expect(answer(new MembershipError('not_found', 'member not found'))).toMatchObject({
      status: 404,
      message: 'member not found',
    });
    expect(answer(new MembershipError('invitation_email_mismatch', 'other email'))).toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    expect(answer(new MembershipError('last_owner', 'keep an owner'))).toMatchObject({ status: 409 });
  });

  it('never shows the store’s or the vault’s own message', () => {
    expect(answer(new StorageError('not_found', 'no row in features_pkey'))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'resource not found',
    });
    expect(answer(new StorageError('conflict', 'duplicate key projects_slug'))).toMatchObject({
      status: 409,
      message: 'a resource with these values already exists',
    });
    expect(answer(new StorageError('invalid_value', 'bad enum'))).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'a value was refused by the store',
    });
    expect(answer(new SecretsError('unwrap_failed', 'kms said no'))).toEqual({
      status: 503,
      code: 'unavailable',
      message: 'secrets cannot be opened with the configured key',
    });
  });

  it('passes ApiErrors through and answers anything else with a bare 500', () => {
    const api = new ApiError('conflict', 'taken', 'slug');
    expect(toApiError(api)).toBe(api);
    for (const error of [
      new Error('boom'),
      new OmakaseError('not_found', 'a code alone is not enough'),
      new LinearIntegrationError('rate_limited', 'Linear: slow down', true),
      'a string',
    ]) {
      expect(answer(error)).toEqual({ status: 500, code: 'internal_error', message: 'internal error' });
    }
  });
});
