import {
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

/** The run-scoped API of the platform, authenticated by the run token. */
export class PlatformClient {
  constructor(
    private readonly apiUrl: string,
    private readonly runId: string,
    private readonly token: string,
  ) {}

  async fetchSpec(): Promise<RunSpec> {
    const body = await this.request('GET', 'spec');
    const parsed = runSpecSchema.safeParse(body);
    if (!parsed.success)
      throw new PlatformError('SPEC_INVALID', `Run spec is invalid: ${parsed.error.message}`);
    return parsed.data;
  }

  async fetchCredentials(): Promise<RunCredentials> {
    const parsed = runCredentialsSchema.safeParse(await this.request('GET', 'credentials'));
    if (!parsed.success) throw new PlatformError('CREDENTIALS_INVALID', 'Run credentials are malformed');
    return parsed.data;
  }

  async postEvents(events: RunnerEvent[]): Promise<void> {
    await this.request('POST', 'events', { events });
  }

  async postResult(result: RunResult): Promise<void> {
    await this.request('POST', 'result', result);
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const url = `${this.apiUrl.replace(/\/$/, '')}/api/v1/runs/${encodeURIComponent(this.runId)}/${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new PlatformError('PLATFORM_UNREACHABLE', `${method} ${path}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const refusal = await refusalOf(response);
      const detail = refusal.apiCode ? ` ${refusal.apiCode}: ${refusal.message}` : '';
      throw new PlatformError(
        'PLATFORM_REJECTED',
        `${method} ${path}: HTTP ${response.status}${detail}`,
        response.status,
        refusal.parsed,
      );
    }
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
}

/** The API's `{"error": {code, message, field}}` body and `Retry-After` (seconds), when present. */
async function refusalOf(response: Response) {
  const seconds = Number(response.headers.get('retry-after'));
  const parsed: PlatformRefusal =
    Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {};
  let message = '';
  try {
    const error = (
      (await response.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } }
    ).error;
    if (typeof error?.code === 'string') parsed.apiCode = error.code;
    if (typeof error?.field === 'string') parsed.field = error.field;
    if (typeof error?.message === 'string') message = error.message.slice(0, 300);
  } catch {
    // Not the API's JSON error (a proxy's page): the status alone decides.
  }
  return { parsed, apiCode: parsed.apiCode, message };
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
