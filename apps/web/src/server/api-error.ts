/** Typed API failures and their JSON body `{"error": {"code","message","field"?}}`. */
import { API_ERROR_STATUS, type ApiErrorBody, type ApiErrorCode } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import { StorageError } from '@omakase/db';
import { MembershipError, OmakaseError } from '@omakase/domain';
import { SecretsError } from '@omakase/secrets';
import type { z } from 'zod';
import { ERROR_TABLE, type MappedErrorCode } from './error-table';

export class ApiError extends OmakaseError<ApiErrorCode> {
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(code, message);
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

/** Errors whose message is written for callers; others answer with their table row's message. */
const forCallers = (error: unknown): error is AuthError | MembershipError =>
  error instanceof AuthError || error instanceof MembershipError;

/** The classes ERROR_TABLE covers; any other error is a 500 that says nothing. */
const inTable = (error: unknown): error is OmakaseError<MappedErrorCode> =>
  forCallers(error) || error instanceof StorageError || error instanceof SecretsError;

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!inTable(error)) return new ApiError('internal_error', 'internal error');
  const row: { as: ApiErrorCode; message?: string } = ERROR_TABLE[error.code];
  return new ApiError(row.as, forCallers(error) ? error.message : (row.message ?? 'internal error'));
}
