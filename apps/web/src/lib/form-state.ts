/** Result of a form's server action: field errors shown inline, or success. Client-safe. */
export interface FormState {
  status: 'idle' | 'ok' | 'error';
  message?: string;
  /** Keyed by top-level field name (`title`, `dependsOn`). */
  fieldErrors: Record<string, string>;
}

export const IDLE: FormState = { status: 'idle', fieldErrors: {} };
