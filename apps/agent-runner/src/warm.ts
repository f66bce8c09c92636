/**
 * Warm mode: a pool task started with `OMAKASE_WARM=1` and no run. It gets an M2M access token
 * with the client-credentials grant (its per-org client, injected by the task definition), then
 * long-polls the API's claim endpoint until the orchestrator hands it exactly one run. The claim
 * answer's plain configuration, run id and run token are returned, held only in memory (never in
 * process.env, which a child could inherit), and the runner parses them over its environment and
 * continues exactly like a cold one. The M2M secret is removed from process.env; the agent runs
 * isolated from this process (agent-isolation.ts), so it cannot read either.
 */
import { ApiClientError, claimedRunSchema, createApiClient } from '@omakase/api-contract';
import { clientCredentialsToken, TokenRequestError, type TokenSource } from '@omakase/auth';
import { backoffMs, OmakaseError } from '@omakase/domain';
import type { WarmEnv } from './env';

const CLAIM_WAIT_MS = 20_000;

/** Exit without a run: 0 when idle or no longer wanted, 2 when misconfigured. */
class WarmExit extends OmakaseError<'warm_exit'> {
  constructor(
    readonly exitCode: 0 | 2,
    message: string,
  ) {
    super('warm_exit', message);
  }
}

/** The issuer refusing the client (400/401/403) is a misconfiguration: exit 2, do not retry. */
async function accessToken(tokens: TokenSource): Promise<string> {
  try {
    return await tokens.get();
  } catch (error) {
    if (error instanceof TokenRequestError && [400, 401, 403].includes(error.status)) {
      throw new WarmExit(2, `the issuer refused the runner's client credentials (${error.status})`);
    }
    throw error;
  }
}

/** Configuration the claim answer may not change: the image's agent isolation. */
const NOT_FROM_CLAIM = /^OMAKASE_AGENT_/;

/**
 * Resolves, once this task holds a run, with the run's variables (its configuration from the
 * claim, OMAKASE_RUN_ID and OMAKASE_RUN_TOKEN) to parse over the environment; exits otherwise.
 */
export async function waitForWarmClaim(env: WarmEnv): Promise<Record<string, string>> {
  const idleUntil = Date.now() + env.OMAKASE_WARM_IDLE_MS;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  const api = createApiClient({ baseUrl: env.OMAKASE_API_URL });
  const tokens = clientCredentialsToken({
    tokenUrl: env.OMAKASE_TOKEN_URL,
    audience: env.OMAKASE_M2M_AUDIENCE,
    clientId: env.OMAKASE_M2M_CLIENT_ID,
    clientSecret: env.OMAKASE_M2M_CLIENT_SECRET,
  });
  let failures = 0;
  try {
    while (!stop.signal.aborted) {
      const left = idleUntil - Date.now();
      if (left <= 0) throw new WarmExit(0, 'idle timeout without a run');
      try {
        const token = await accessToken(tokens);
        let answer: unknown;
        try {
          answer = await api.call(
            'claimWarmRun',
            { body: { warmId: env.OMAKASE_WARM_ID, waitMs: Math.min(CLAIM_WAIT_MS, left) } },
            { signal: stop.signal, headers: { authorization: `Bearer ${token}` } },
          );
        } catch (error) {
          if (!(error instanceof ApiClientError) || error.status < 300) throw error;
          failures = 0;
          if (error.status === 401) {
            tokens.invalidate(); // expired: fetch a new one (a bad client fails at the issuer instead)
            continue;
          }
          if (error.status === 404) throw new WarmExit(0, 'this warm runner is no longer in the pool');
          if (error.status === 403) throw new WarmExit(2, 'the runner token may not claim runs');
          throw new Error(`claim answered ${error.status}`);
        }
        failures = 0;
        if (answer === undefined) continue; // 204: nothing yet, poll again
        const claimed = claimedRunSchema.parse(answer);
        return {
          ...Object.fromEntries(Object.entries(claimed.env).filter(([key]) => !NOT_FROM_CLAIM.test(key))),
          OMAKASE_RUN_ID: claimed.runId,
          OMAKASE_RUN_TOKEN: claimed.runToken,
        };
      } catch (error) {
        if (error instanceof WarmExit || stop.signal.aborted) throw error;
        // The API or issuer is briefly unreachable: back off, bounded by the idle deadline.
        await new Promise((r) => setTimeout(r, backoffMs(++failures, { baseMs: 200, maxMs: 5_000 })));
      }
    }
    throw new WarmExit(0, 'stopped while waiting for a run');
  } catch (error) {
    const exit = error instanceof WarmExit ? error : new WarmExit(0, 'stopped while waiting for a run');
    console.error(`[agent-runner] warm: ${exit.message}`);
    return process.exit(exit.exitCode);
  } finally {
    process.off('SIGTERM', onSignal);
    for (const key of ['OMAKASE_M2M_CLIENT_SECRET', 'OMAKASE_M2M_CLIENT_ID', 'OMAKASE_WARM']) {
      delete process.env[key];
    }
  }
}
