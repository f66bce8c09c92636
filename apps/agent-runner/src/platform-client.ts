import {
  type ApiClient,
  ApiClientError,
  createApiClient,
  type RunCredentials,
  type RunnerEvent,
  type RunResult,
  type RunSpec,
  runCredentialsSchema,
  runSpecSchema,
} from '@omakase/api-contract';
import { backoffMs, OmakaseError } from '@omakase/domain';

/** What the platform's error body and headers said: its error code, the field, when to retry. */
export interface PlatformRefusal {
  apiCode?: string;
  field?: string;
  retryAfterMs?: number;
}

type PlatformErrorCode =
  | 'PLATFORM_UNREACHABLE'
  | 'PLATFORM_REJECTED'
  | 'SPEC_INVALID'
  | 'CREDENTIALS_INVALID';

/** 4xx other than 408/429 will not get better by retrying. */
const retryable = (code: PlatformErrorCode, status = 0) =>
  code === 'PLATFORM_UNREACHABLE' || status === 408 || status === 429 || status >= 500;

export class PlatformError extends OmakaseError<PlatformErrorCode> {
  override readonly name = 'PlatformError';
  constructor(
    code: PlatformErrorCode,
    message: string,
    readonly status?: number,
    readonly refusal: PlatformRefusal = {},
  ) {
    super(code, message, { retryable: retryable(code, status) });
  }
}

/** The run-scoped API of the platform, authenticated by the run token (the registry's typed client). */
export class PlatformClient {
  private readonly api: ApiClient;

  constructor(
    apiUrl: string,
    private readonly runId: string,
    token: string,
  ) {
    this.api = createApiClient({ baseUrl: apiUrl, headers: { authorization: `Bearer ${token}` } });
  }

  async fetchSpec(): Promise<RunSpec> {
    const body = await this.request('getRunSpec', (signal) =>
      this.api.call('getRunSpec', { params: { runId: this.runId } }, { signal }),
    );
    const parsed = runSpecSchema.safeParse(body);
    if (!parsed.success)
      throw new PlatformError('SPEC_INVALID', `Run spec is invalid: ${parsed.error.message}`);
    return parsed.data;
  }

  async fetchCredentials(): Promise<RunCredentials> {
    const body = await this.request('getRunCredentials', (signal) =>
      this.api.call('getRunCredentials', { params: { runId: this.runId } }, { signal }),
    );
    const parsed = runCredentialsSchema.safeParse(body);
    if (!parsed.success) throw new PlatformError('CREDENTIALS_INVALID', 'Run credentials are malformed');
    return parsed.data;
  }

  async postEvents(events: RunnerEvent[]): Promise<void> {
    await this.request('appendRunEvents', (signal) =>
      this.api.call('appendRunEvents', { params: { runId: this.runId }, body: { events } }, { signal }),
    );
  }

  async postResult(result: RunResult): Promise<void> {
    await this.request('recordRunResult', (signal) =>
      this.api.call('recordRunResult', { params: { runId: this.runId }, body: result }, { signal }),
    );
  }

  /** One call with a 10 s timeout; the API's refusal (status, code, field, Retry-After) becomes a PlatformError. */
  private async request<T>(route: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await send(AbortSignal.timeout(10_000));
    } catch (error) {
      // A 2xx whose body is not JSON (a proxy's page) is as good as not reaching the platform.
      if (!(error instanceof ApiClientError) || error.status < 300)
        throw new PlatformError('PLATFORM_UNREACHABLE', `${route}: ${(error as Error).message}`);
      const refusal: PlatformRefusal = {};
      if (error.code !== 'http_error') refusal.apiCode = error.code;
      if (error.field !== undefined) refusal.field = error.field;
      if (error.retryAfterMs !== undefined) refusal.retryAfterMs = error.retryAfterMs;
      const detail = refusal.apiCode ? ` ${refusal.apiCode}: ${error.message.slice(0, 300)}` : '';
      throw new PlatformError(
        'PLATFORM_REJECTED',
        `${route}: HTTP ${error.status}${detail}`,
        error.status,
        refusal,
      );
    }
  }
}

/** A wait the platform asks for (Retry-After) is honoured, but never longer than this per attempt. */
export const MAX_RETRY_WAIT_MS = 30_000;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries `fn` with capped exponential backoff while the error is retryable and time is left;
 * a `Retry-After` from the platform (429) sets the wait, capped at MAX_RETRY_WAIT_MS.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  deadline: () => number,
  baseMs = 100,
  sleep: (ms: number) => Promise<void> = sleepFor,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const retryable = !(error instanceof PlatformError) || error.retryable;
      const backoff = backoffMs(attempt + 1, { baseMs, maxMs: 2_000 });
      const asked = error instanceof PlatformError ? error.refusal.retryAfterMs : undefined;
      const wait = asked ? Math.min(Math.max(asked, backoff), MAX_RETRY_WAIT_MS) : backoff;
      if (!retryable || Date.now() + wait > deadline()) throw error;
      await sleep(wait);
    }
  }
}
