/** `unavailable`: the issuer's keys could not be fetched (503, not the caller's fault). */
export type AuthErrorCode = 'unauthenticated' | 'invalid_token' | 'forbidden' | 'unavailable';

/** Authentication/authorisation failure; `code` maps to 401 (`unauthenticated`, `invalid_token`) or 403. */
export class AuthError extends Error {
  constructor(
    public readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
