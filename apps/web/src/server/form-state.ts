/** Server-side helpers turning zod/API errors into a form's inline errors. */
import type { z } from 'zod';
import type { FormState } from '@/lib/form-state';
import { ApiError, toApiError } from './api-error';

export type { FormState };

export function zodFormState(error: z.ZodError): FormState {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return { status: 'error', message: 'Please fix the highlighted fields.', fieldErrors };
}

export function errorFormState(error: unknown): FormState {
  const apiError = error instanceof ApiError ? error : toApiError(error);
  if (apiError.status >= 500) throw error;
  if (apiError.field) {
    return {
      status: 'error',
      message: apiError.message,
      fieldErrors: { [apiError.field]: apiError.message },
    };
  }
  return { status: 'error', message: apiError.message, fieldErrors: {} };
}

/** Form fields → the JSON shape the API schemas expect (empty optional inputs dropped). */
export function formValues(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  return {
    text,
    lines: (name: string) =>
      text(name)
        ?.split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    int: (name: string) => {
      const value = text(name);
      return value === undefined ? undefined : Number(value);
    },
    all: (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string' && v !== ''),
  };
}
