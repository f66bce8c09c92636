import { z } from 'zod';

/** Every error the API answers with, and its HTTP status. */
export const API_ERROR_STATUS = {
  invalid_json: 400,
  unauthenticated: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  /** A run's event log reached its per-run cap: it was truncated and takes no more events. */
  run_log_full: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  validation_failed: 422,
  unknown_dependency: 422,
  self_dependency: 422,
  dependency_cycle: 422,
  too_many_dependencies: 422,
  internal_error: 500,
  unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export const ApiErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const HealthDto = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'down']) });
