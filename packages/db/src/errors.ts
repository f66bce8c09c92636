import { OmakaseError } from '@omakase/domain';

export const STORAGE_ERROR_CODES = ['not_found', 'conflict', 'invalid_reference', 'invalid_value'] as const;
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

/** A persistence failure the caller can act on (map to 404/409/422). */
export class StorageError extends OmakaseError<StorageErrorCode> {
  override readonly name = 'StorageError';
  constructor(
    code: StorageErrorCode,
    message: string,
    readonly constraint?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const PG_CODES: Record<string, StorageErrorCode> = {
  '23505': 'conflict', // unique_violation
  '23503': 'invalid_reference', // foreign_key_violation
  '23514': 'invalid_value', // check_violation
  '23502': 'invalid_value', // not_null_violation
  '22P02': 'invalid_value', // invalid_text_representation
};

interface PgLikeError {
  code?: unknown;
  constraint_name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Drizzle wraps driver errors; find the Postgres one and translate integrity violations. */
export function toStorageError(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as PgLikeError;
    const code = typeof candidate.code === 'string' ? PG_CODES[candidate.code] : undefined;
    if (code) {
      const constraint =
        typeof candidate.constraint_name === 'string' ? candidate.constraint_name : undefined;
      return new StorageError(code, String(candidate.message), constraint, { cause: error });
    }
    current = candidate.cause;
  }
  return error;
}

export async function translateErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStorageError(error);
  }
}
