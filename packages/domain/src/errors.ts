/** Domain errors are data, not exceptions: callers map `code` to HTTP status / UI copy. */

export const DOMAIN_ERROR_CODES = [
  'invalid_transition',
  'invalid_state',
  'dependency_cycle',
  'too_many_dependencies',
  'self_dependency',
  'unknown_dependency',
  'forbidden',
  'invalid_id',
  'invalid_event',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** The input field the error is about, for forms (e.g. `dependsOn`). */
  field?: string;
  details?: Record<string, unknown>;
}

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T };
export function ok(): { ok: true; value: undefined };
export function ok<T>(value?: T) {
  return { ok: true, value };
}

export function err<E = DomainError>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function domainError(
  code: DomainErrorCode,
  message: string,
  extra: { field?: string; details?: Record<string, unknown> } = {},
): { ok: false; error: DomainError } {
  return err({ code, message, ...extra });
}

/**
 * The base of every thrown error: a stable `code` callers branch on (the web maps it to HTTP in
 * one table), whether trying again may help, and the `cause` it wraps. `name` is the subclass's.
 */
export class OmakaseError<C extends string = string> extends Error {
  readonly code: C;
  readonly retryable: boolean;

  constructor(code: C, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, 'cause' in opts ? { cause: opts.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
  }
}
