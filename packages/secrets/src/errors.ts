export type SecretsErrorCode = 'bad_master_key' | 'unwrap_failed' | 'decrypt_failed' | 'bad_envelope';

export class SecretsError extends Error {
  constructor(
    readonly code: SecretsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretsError';
  }
}
