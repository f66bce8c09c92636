/**
 * What a run token may post as events is bounded (the token can be in a hostile agent's hands):
 * per second, per event, per batch and per run — and agent output with NUL characters or lone
 * surrogates is stored (as U+FFFD), not answered with a 500 from Postgres.
 */
import { mintRunToken } from '@omakase/auth';
import type { AgentRun, RunEvent } from '@omakase/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import * as resultRoute from '@/app/api/v1/runs/[runId]/result/route';
import { call, expectError } from '../support/http';
import { type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'run-event-limits-secret-0123456789abcdef';
const LIMITS = {
  RUN_EVENTS_PER_SECOND: '5',
  RUN_EVENTS_BURST: '10',
  RUN_EVENT_BATCH_MAX: '10',
  RUN_EVENT_BATCH_MAX_BYTES: '8000',
  RUN_EVENT_MAX_BYTES: '1000',
  RUN_EVENTS_MAX_PER_RUN: '12',
  RUN_EVENT_BYTES_MAX_PER_RUN: '2500',
};
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
  Object.assign(process.env, { RUN_TOKEN_SECRET: RUN_SECRET, ...LIMITS });
});
afterAll(() => stack?.stop());
afterEach(() => vi.useRealTimers());

async function newRun(): Promise<{ run: AgentRun; token: string }> {
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const feature = stack.seeded.shopFeatures[0]!;
  const run = await demo.runs.create({ featureId: feature.id, role: 'coder' });
  const token = await mintRunToken({ runId: run.id, orgId: demo.orgId, featureId: feature.id }, RUN_SECRET);
  return { run, token };
}

const event = (seq: number, payload: Record<string, unknown> = { text: `event ${seq}` }) => ({
  seq,
  type: 'thought',
  payload,
  occurredAt: new Date().toISOString(),
});
const seqs = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));

const post = (runId: string, token: string, events: unknown[]) =>
  call(runEventsRoute.POST, `POST /api/v1/runs/${runId}/events`, {
    token,
    params: { runId },
    body: { events },
  });
const stored = (run: AgentRun): Promise<RunEvent[]> => stack.storage.forOrg(run.orgId).events.list(run.id);

describe('per-second rate (token bucket per run, one token per event)', () => {
  it('answers 429 with Retry-After past the burst, stores nothing of that batch, and takes it once refilled', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { run, token } = await newRun();
    expect((await post(run.id, token, seqs(1, 6))).status).toBe(200);
    const refused = await post(run.id, token, seqs(7, 5));
    expectError(refused, 429, 'rate_limited');
    expect(refused.json!.error.details.limit).toBe('RUN_EVENTS_PER_SECOND');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(1); // 4 tokens left, 5 needed, 5 per second
    expect(await stored(run)).toHaveLength(6);

    vi.setSystemTime(Date.now() + retryAfter * 1000);
    expect((await post(run.id, token, seqs(7, 5))).json).toEqual({ accepted: 5 });
    expect((await stored(run)).map((e) => e.payload.text)).toEqual(
      Array.from({ length: 11 }, (_, i) => `event ${i + 1}`),
    );
  });

  it("is per run: one run's flood does not throttle another", async () => {
    const a = await newRun();
    const b = await newRun();
    expect((await post(a.run.id, a.token, seqs(1, 10))).status).toBe(200);
    expectError(await post(a.run.id, a.token, seqs(11, 1)), 429, 'rate_limited');
    expect((await post(b.run.id, b.token, seqs(1, 1))).status).toBe(200);
  });
});

describe('per-request caps', () => {
  it('refuses an oversized event with 413 naming the event, storing none of its batch', async () => {
    const { run, token } = await newRun();
    const result = await post(run.id, token, [event(1), event(2, { text: 'x'.repeat(1200) })]);
    expectError(result, 413, 'payload_too_large', 'events.1.payload');
    expect(result.json!.error.details).toEqual({ limit: 'RUN_EVENT_MAX_BYTES', max: 1000 });
    expect(await stored(run)).toEqual([]);
  });

  it('refuses a batch of more than RUN_EVENT_BATCH_MAX events, and a body past RUN_EVENT_BATCH_MAX_BYTES', async () => {
    const { run, token } = await newRun();
    const many = await post(run.id, token, seqs(1, 11));
    expectError(many, 413, 'payload_too_large', 'events');
    expect(many.json!.error.message).toContain('RUN_EVENT_BATCH_MAX');
    const big = Array.from({ length: 10 }, (_, i) => event(i + 1, { text: 'y'.repeat(900) }));
    const heavy = await post(run.id, token, big);
    expectError(heavy, 413, 'payload_too_large');
    expect(heavy.json!.error.details).toEqual({ maxBytes: 8000 });
    expect(await stored(run)).toEqual([]);
  });
});

describe('per-run totals (counted on the run row)', () => {
  // Each request as if on a fresh web process: none of this process's per-second buckets.
  const freshProcess = () =>
    delete (globalThis as { __omakaseRunEventBuckets?: unknown }).__omakaseRunEventBuckets;

  it('keeps what fits, then one "log truncated" marker, then refuses every batch with 413 run_log_full', async () => {
    const { run, token } = await newRun();
    freshProcess();
    expect((await post(run.id, token, seqs(1, 5))).json).toEqual({ accepted: 5 });
    freshProcess();
    const crossing = await post(run.id, token, seqs(6, 10));
    expectError(crossing, 413, 'run_log_full');
    expect(crossing.json!.error.details).toEqual({ limit: 'RUN_EVENTS_MAX_PER_RUN', max: 12, accepted: 6 });
    expect(crossing.json!.error.message).toContain('RUN_EVENTS_MAX_PER_RUN');
    freshProcess();
    const later = await post(run.id, token, seqs(12, 1));
    expectError(later, 413, 'run_log_full');

    const log = await stored(run);
    expect(log).toHaveLength(12);
    expect(log.slice(0, 11).map((e) => e.payload.text)).toEqual(
      Array.from({ length: 11 }, (_, i) => `event ${i + 1}`),
    );
    expect(log[11]).toMatchObject({
      type: 'error',
      payload: { kind: 'log_truncated', limit: 'RUN_EVENTS_MAX_PER_RUN' },
    });
  });

  it('caps payload bytes per run the same way', async () => {
    const { run, token } = await newRun();
    const bulky = (seq: number) => event(seq, { text: 'z'.repeat(900) });
    expect((await post(run.id, token, [bulky(1), bulky(2)])).json).toEqual({ accepted: 2 });
    const crossing = await post(run.id, token, [bulky(3)]);
    expectError(crossing, 413, 'run_log_full');
    expect(crossing.json!.error.details).toMatchObject({ limit: 'RUN_EVENT_BYTES_MAX_PER_RUN', max: 2500 });
    const log = await stored(run);
    expect(log.map((e) => e.payload.kind ?? 'text')).toEqual(['text', 'text', 'log_truncated']);
    expect(await stack.storage.forOrg(run.orgId).events.usage(run.id)).toMatchObject({ truncated: true });
  });

  it('holds under concurrent batches (other web processes): never more than the cap, one marker', async () => {
    const { run, token } = await newRun();
    freshProcess();
    expect((await post(run.id, token, seqs(1, 9))).json).toEqual({ accepted: 9 });
    freshProcess();
    // Seqs far ahead of what is stored, so no batch is taken for a retried duplicate.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(run.id, token, [event(1000 + i)])),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 413, 413, 413, 413, 413, 413, 413, 413]);
    const log = await stored(run);
    expect(log).toHaveLength(12);
    expect(log.filter((e) => e.payload.kind === 'log_truncated')).toHaveLength(1);
    expect(log.at(-1)!.payload.kind).toBe('log_truncated');
  });
});

describe('agent output Postgres cannot store as text', () => {
  it('stores NUL characters (in nested strings and keys) and lone surrogates as U+FFFD, keeping the text', async () => {
    const { run, token } = await newRun();
    const payload = {
      text: 'before\u0000after',
      nested: { 'key\u0000with-nul': ['a\u0000', { deep: '\u0000' }], lone: 'half \ud800 a pair' },
      ansi: '\u001b[31mred\u001b[0m\u0007',
    };
    const result = await post(run.id, token, [event(1, payload)]);
    expect(result.status).toBe(200);
    const [saved] = await stored(run);
    expect(saved!.payload).toEqual({
      text: 'before\uFFFDafter',
      nested: { 'key\uFFFDwith-nul': ['a\uFFFD', { deep: '\uFFFD' }], lone: 'half \uFFFD a pair' },
      ansi: '\u001b[31mred\u001b[0m\u0007',
    });
  });

  it('records a result whose verdict text holds NUL characters', async () => {
    const { run, token } = await newRun();
    const result = await call(resultRoute.POST, `POST /api/v1/runs/${run.id}/result`, {
      token,
      params: { runId: run.id },
      body: {
        outcome: 'succeeded',
        output: { summary: 'plan\u0000done', 'step\u0000': ['x\u0000y'] },
        usage: { tokensIn: 1, tokensOut: 1, costUsd: 0, durationMs: 1 },
        exitReason: 'submitted',
        message: 'ok\u0000',
      },
    });
    expect(result.status).toBe(200);
    const saved = await stack.storage.forOrg(run.orgId).runs.get(run.id);
    expect(saved!.output).toEqual({ summary: 'plan\uFFFDdone', 'step\uFFFD': ['x\uFFFDy'] });
  });
});
