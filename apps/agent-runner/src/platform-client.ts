import {
  type RunCredentials,
  type RunEvent,
  type RunResult,
  type RunSpec,
  runCredentialsSchema,
  runSpecSchema,
} from '@omakase/api-contract';

export class PlatformError extends Error {
  constructor(
    readonly code: 'PLATFORM_UNREACHABLE' | 'PLATFORM_REJECTED' | 'SPEC_INVALID' | 'CREDENTIALS_INVALID',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
  /** 4xx other than 408/429 will not get better by retrying. */
  get retryable() {
    return (
      this.code === 'PLATFORM_UNREACHABLE' ||
      this.status === 408 ||
      this.status === 429 ||
      (this.status ?? 0) >= 500
    );
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

  async postEvents(events: RunEvent[]): Promise<void> {
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
    if (!response.ok)
      throw new PlatformError(
        'PLATFORM_REJECTED',
        `${method} ${path}: HTTP ${response.status}`,
        response.status,
      );
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
}

/** Retries `fn` with capped exponential backoff while the error is retryable and time is left. */
export async function withRetry<T>(fn: () => Promise<T>, deadline: () => number, baseMs = 100): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const retryable = !(error instanceof PlatformError) || error.retryable;
      const wait = Math.min(baseMs * 2 ** attempt, 2_000);
      if (!retryable || Date.now() + wait > deadline()) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
