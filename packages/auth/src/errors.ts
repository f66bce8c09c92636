import { OmakaseError } from '@omakase/domain';

/** `unavailable`: the issuer's keys could not be fetched (503, not the caller's fault). */
export type AuthErrorCode = 'unauthenticated' | 'invalid_token' | 'forbidden' | 'unavailable';

/** Authentication/authorisation failure; `code` maps to 401 (`unauthenticated`, `invalid_token`) or 403. */
export class AuthError extends OmakaseError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string) {
    super(code, message);
    this.name = 'AuthError';
  }
}
