import { OmakaseError } from '@omakase/domain';

export const LINEAR_ERROR_CODES = [
  'rate_limited',
  'too_complex',
  'unauthorized',
  'invalid_signature',
  'stale_webhook',
  'bad_payload',
  'not_connected',
  'oauth_failed',
  'request_failed',
] as const;
export type LinearErrorCode = (typeof LINEAR_ERROR_CODES)[number];

/** Every failure the adapter reports, with a code callers branch on (vendor errors never leak). */
export class LinearIntegrationError extends OmakaseError<LinearErrorCode> {
  constructor(code: LinearErrorCode, message: string, retryable = false) {
    super(code, message, { retryable });
    this.name = 'LinearIntegrationError';
  }
}
