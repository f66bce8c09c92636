/** The Management API's own token (audience `<tenant>/api/v2/`) and its error type. */
import { OmakaseError } from '@omakase/domain';
import { clientCredentialsToken, type TokenSource } from '../client-credentials';

export function managementToken(opts: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
}): TokenSource {
  return clientCredentialsToken({
    ...opts,
    tokenUrl: `${opts.baseUrl}/oauth/token`,
    audience: `${opts.baseUrl}/api/v2/`,
  });
}

export class Auth0ManagementError extends OmakaseError<'auth0_management_failed'> {
  override readonly name = 'Auth0ManagementError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('auth0_management_failed', message);
  }
}
