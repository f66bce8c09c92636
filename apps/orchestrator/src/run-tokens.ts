/**
 * Where a run's token comes from before its launch. In a deployment the API holds the signing
 * key and the orchestrator asks it, with its own M2M token (`runs:mint`); a single-host setup
 * may share `RUN_TOKEN_SECRET` with the web instead and sign locally.
 */
import { mintedRunTokenSchema } from '@omakase/api-contract';
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
  const doFetch = opts.fetch ?? fetch;
  const base = opts.apiUrl.replace(/\/+$/, '');

  async function request(run: Pick<AgentRun, 'id' | 'orgId'>): Promise<Response> {
    return doFetch(`${base}/api/v1/runs/${encodeURIComponent(run.id)}/token`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await opts.machineToken.get()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ orgId: run.orgId }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }

  return {
    mode: 'api',
    async tokenFor(run) {
      let response = await request(run);
      if (response.status === 401) {
        // Revoked, or the issuer rotated its keys: one fresh M2M token, then give up.
        opts.machineToken.invalidate();
        response = await request(run);
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
        throw new RunTokenError(
          response.status,
          `the API refused a token for ${run.id} (${response.status}): ${typeof message === 'string' ? message : response.statusText}`,
        );
      }
      const parsed = mintedRunTokenSchema.safeParse(body);
      if (!parsed.success)
        throw new RunTokenError(response.status, `the API answered an unexpected token body for ${run.id}`);
      return parsed.data.runToken;
    },
  };
}
