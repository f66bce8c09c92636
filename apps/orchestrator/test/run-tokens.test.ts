/** The API run-token source against a loopback API: renewal after a 401, clear refusals. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenSource } from '@omakase/auth';
import { newId, type OrgId } from '@omakase/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiRunTokens, RunTokenError } from '../src/run-tokens';

let server: Server;
let apiUrl: string;
let seen: { path: string; authorization: string; body: unknown }[];
let answers: { status: number; body: unknown }[];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization ?? '', body: JSON.parse(raw) });
    const answer = answers.shift() ?? { status: 500, body: {} };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  answers = [];
});

/** M2M tokens `m2m-1`, `m2m-2`, …: a new one after each invalidate(). */
function machineTokens(): TokenSource & { invalidations: number } {
  return {
    invalidations: 0,
    get() {
      return Promise.resolve(`m2m-${this.invalidations + 1}`);
    },
    invalidate() {
      this.invalidations++;
    },
  };
}

const run = { id: newId('run'), orgId: newId('org') as OrgId, featureId: newId('feat') };
const minted = { runToken: 'a'.repeat(40), expiresAt: new Date().toISOString() };

describe('apiRunTokens', () => {
  it("posts the run's org with the M2M token and returns the run token", async () => {
    answers.push({ status: 200, body: minted });
    expect(await apiRunTokens({ apiUrl, machineToken: machineTokens() }).tokenFor(run)).toBe(minted.runToken);
    expect(seen).toEqual([
      { path: `/api/v1/runs/${run.id}/token`, authorization: 'Bearer m2m-1', body: { orgId: run.orgId } },
    ]);
  });

  it('renews the M2M token once after a 401, then gives up', async () => {
    const tokens = machineTokens();
    answers.push({ status: 401, body: {} }, { status: 200, body: minted });
    expect(await apiRunTokens({ apiUrl, machineToken: tokens }).tokenFor(run)).toBe(minted.runToken);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer m2m-1', 'Bearer m2m-2']);

    answers.push({ status: 401, body: {} }, { status: 401, body: {} });
    await expect(apiRunTokens({ apiUrl, machineToken: tokens }).tokenFor(run)).rejects.toMatchObject({
      status: 401,
    });
    expect(seen).toHaveLength(4);
  });

  it("fails with the API's status and message, or on an unexpected body", async () => {
    const error = { code: 'conflict', message: 'the run has ended (cancelled); no token is issued for it' };
    answers.push({ status: 409, body: { error } });
    const refused = await apiRunTokens({ apiUrl, machineToken: machineTokens() })
      .tokenFor(run)
      .catch((e) => e);
    expect(refused).toBeInstanceOf(RunTokenError);
    expect(refused.message).toContain('(409): the run has ended (cancelled)');

    answers.push({ status: 200, body: { token: 'x' } });
    await expect(apiRunTokens({ apiUrl, machineToken: machineTokens() }).tokenFor(run)).rejects.toThrow(
      /unexpected token body/,
    );
  });
});
