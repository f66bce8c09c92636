/** The pipeline engine as the API uses it: options from the environment, errors as API errors. */
import type { EngineError, EngineResult } from '@omakase/engine';
import { ApiError } from './api-error';
import { env } from './env';

export const engineOptions = () => ({ orgMaxConcurrentAgents: env().ORG_MAX_CONCURRENT_AGENTS });

function toApiError(error: EngineError): ApiError {
  switch (error.code) {
    case 'not_found':
      return new ApiError('not_found', error.message);
    case 'invalid_transition':
    case 'conflict':
    case 'blocked':
    case 'at_capacity':
      return new ApiError('conflict', error.message, undefined, { reason: error.code, ...error.details });
    default:
      return new ApiError('validation_failed', error.message, error.field);
  }
}

/** Unwraps an engine result or throws the matching API error (the transaction then rolls back). */
export function orThrow<T>(result: EngineResult<T>): T {
  if (!result.ok) throw toApiError(result.error);
  return result.value;
}
