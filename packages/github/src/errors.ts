import { OmakaseError } from '@omakase/domain';

export type GitHubErrorCode =
  | 'not_github'
  | 'unauthorized'
  | 'not_found'
  | 'validation_failed'
  | 'rate_limited'
  | 'unavailable';

export class GitHubError extends OmakaseError<GitHubErrorCode> {
  constructor(
    code: GitHubErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(code, message);
    this.name = 'GitHubError';
  }
}

export function codeForStatus(status: number | undefined): GitHubErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 422) return 'validation_failed';
  if (status === 429) return 'rate_limited';
  return 'unavailable';
}
