import type { DomainError, Result } from '@omakase/domain';

/** Application errors on top of the domain's: the API maps codes to HTTP statuses. */
export type EngineErrorCode = DomainError['code'] | 'not_found' | 'conflict' | 'blocked' | 'at_capacity';

export interface EngineError {
  code: EngineErrorCode;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

export type EngineResult<T> = Result<T, EngineError>;

export function fail(code: EngineErrorCode, message: string, details?: Record<string, unknown>) {
  return { ok: false as const, error: { code, message, ...(details ? { details } : {}) } };
}
