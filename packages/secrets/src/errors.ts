import { OmakaseError } from '@omakase/domain';

export type SecretsErrorCode = 'bad_master_key' | 'unwrap_failed' | 'decrypt_failed' | 'bad_envelope';

export class SecretsError extends OmakaseError<SecretsErrorCode> {
  constructor(code: SecretsErrorCode, message: string) {
    super(code, message);
    this.name = 'SecretsError';
  }
}
