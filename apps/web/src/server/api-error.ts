/** Typed API failures and their JSON body `{"error": {"code","message","field"?}}`. */
import { API_ERROR_STATUS, type ApiErrorBody, type ApiErrorCode } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return API_ERROR_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);

/** First zod issue → 422 naming the field path (`acceptanceCriteria.3`). */
export function fromZodError(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = path || prefix;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid input';
  return new ApiError('validation_failed', message, field || undefined);
}

/** StorageError from @omakase/db, duck-typed so the API layer stays storage-agnostic. */
function fromStorageError(error: unknown): ApiError | null {
  if (!(error instanceof Error) || error.name !== 'StorageError') return null;
  const code = (error as Error & { code?: string }).code;
  if (code === 'conflict') return new ApiError('conflict', 'a resource with these values already exists');
  if (code === 'not_found') return new ApiError('not_found', 'resource not found');
  if (code === 'invalid_reference' || code === 'invalid_value') {
    return new ApiError('validation_failed', 'a value was refused by the store');
  }
  return null;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthError) {
    if (error.code === 'forbidden') return new ApiError('forbidden', error.message);
    if (error.code === 'unavailable') return new ApiError('unavailable', error.message);
    return new ApiError(error.code, error.message);
  }
  return (
    fromStorageError(error) ?? fromSecurityError(error) ?? new ApiError('internal_error', 'internal error')
  );
}

/** MembershipError (domain) and SecretsError (@omakase/secrets), duck-typed by name. */
function fromSecurityError(error: unknown): ApiError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as Error & { code?: string }).code;
  if (error.name === 'MembershipError') {
    if (code === 'invitation_email_mismatch') return new ApiError('forbidden', error.message);
    if (code === 'last_owner' || code === 'already_member') return new ApiError('conflict', error.message);
    if (code === 'not_found' || code === 'invitation_invalid')
      return new ApiError('not_found', error.message);
  }
  if (error.name === 'SecretsError')
    return new ApiError('unavailable', 'secrets cannot be opened with the configured key');
  return null;
}
