/**
 * Where a run's token comes from before its launch. In a deployment the API holds the signing
 * key and the orchestrator asks it, with its own M2M token (`runs:mint`); a single-host setup
 * may share `RUN_TOKEN_SECRET` with the web instead and sign locally.
 */
import { ApiClientError, createApiClient, mintedRunTokenSchema } from '@omakase/api-contract';
import { mintRunToken, type TokenSource } from '@omakase/auth';
import { type AgentRun, OmakaseError } from '@omakase/domain';

export interface RunTokenSource {
  readonly mode: 'api' | 'local';
  tokenFor(run: Pick<AgentRun, 'id' | 'orgId' | 'featureId'>): Promise<string>;
}

export function localRunTokens(secret: string): RunTokenSource {
  return {
    mode: 'local',
    tokenFor: (run) => mintRunToken({ runId: run.id, orgId: run.orgId, featureId: run.featureId }, secret),
  };
}

export class RunTokenError extends OmakaseError<'run_token_refused'> {
  override readonly name = 'RunTokenError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('run_token_refused', message);
  }
}

/** Per request; a launch is held under its lease, so a hanging API must not hold it long. */
const REQUEST_TIMEOUT_MS = 10_000;

export function apiRunTokens(opts: {
  apiUrl: string;
  machineToken: TokenSource;
  fetch?: typeof fetch;
}): RunTokenSource {
  const api = createApiClient({
    baseUrl: opts.apiUrl,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    headers: async () => ({ authorization: `Bearer ${await opts.machineToken.get()}` }),
  });
  const request = (run: Pick<AgentRun, 'id' | 'orgId'>) =>
    api.call(
      'mintRunToken',
      { params: { runId: run.id }, body: { orgId: run.orgId } },
      { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
    );

  async function mint(run: Pick<AgentRun, 'id' | 'orgId'>): Promise<unknown> {
    try {
      return await request(run);
    } catch (error) {
      if (!(error instanceof ApiClientError) || error.status !== 401) throw error;
      // Revoked, or the issuer rotated its keys: one fresh M2M token, then give up.
      opts.machineToken.invalidate();
      return request(run);
    }
  }

  return {
    mode: 'api',
    async tokenFor(run) {
      let body: unknown;
      try {
        body = await mint(run);
      } catch (error) {
        // A 2xx that is not JSON falls through to the body check below.
        if (!(error instanceof ApiClientError)) throw error;
        if (error.status >= 300)
          throw new RunTokenError(
            error.status,
            `the API refused a token for ${run.id} (${error.status}): ${error.message}`,
          );
      }
      const parsed = mintedRunTokenSchema.safeParse(body);
      if (!parsed.success)
        throw new RunTokenError(200, `the API answered an unexpected token body for ${run.id}`);
      return parsed.data.runToken;
    },
  };
}
