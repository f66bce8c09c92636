import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { describe, expect, it } from 'vitest';
import { UsageAccumulator } from '../src/usage-accumulator';

const usage = (input: number, output: number, cacheRead: number, cacheWrite: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_input_tokens: cacheRead,
  cache_creation_input_tokens: cacheWrite,
});

/** One content block of an assistant message, as the SDK emits it (same id and usage per block). */
const block = (id: string, model: string, tokens: ReturnType<typeof usage>) =>
  ({
    type: 'assistant',
    uuid: `${id}-${Math.random()}`,
    session_id: 's',
    parent_tool_use_id: null,
    message: { id, model, role: 'assistant', type: 'message', content: [], usage: tokens },
  }) as unknown as SDKMessage;

const SONNET = 'claude-sonnet-4-5';
const HAIKU = 'claude-haiku-4-5';

describe('UsageAccumulator', () => {
  it('sums each model message once, per model, cache reads and writes apart', () => {
    const spent = new UsageAccumulator();
    expect(spent.add(block('m1', SONNET, usage(100, 20, 1000, 500)))).toBe(true);
    expect(spent.add(block('m1', SONNET, usage(100, 20, 1000, 500)))).toBe(false); // second block
    spent.add(block('m2', SONNET, usage(10, 5, 2000, 0)));
    spent.add(block('m3', HAIKU, usage(50, 7, 0, 300)));

    const totals = spent.totals();
    expect(totals.byModel[SONNET]).toMatchObject({
      inputTokens: 110,
      outputTokens: 25,
      cacheReadInputTokens: 3000,
      cacheCreationInputTokens: 500,
    });
    expect(totals.byModel[HAIKU]).toMatchObject({
      inputTokens: 50,
      outputTokens: 7,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 300,
    });
    expect(totals.tokensIn).toBe(110 + 3000 + 500 + 50 + 300);
    expect(totals.tokensOut).toBe(32);
    // Sonnet: (110 + 300 + 625) × $3 + 25 × $15; Haiku: (50 + 375) × $1 + 7 × $5 — per million.
    expect(totals.costUsd).toBeCloseTo((1035 * 3 + 25 * 15 + 425 + 35) / 1e6, 10);
  });

  it('takes the result message’s modelUsage and cost as final', () => {
    const spent = new UsageAccumulator();
    spent.add(block('m1', SONNET, usage(100, 20, 1000, 500)));
    spent.add({
      type: 'result',
      subtype: 'success',
      total_cost_usd: 0.42,
      duration_ms: 1234,
      modelUsage: {
        [SONNET]: {
          inputTokens: 120,
          outputTokens: 30,
          cacheReadInputTokens: 1000,
          cacheCreationInputTokens: 600,
          costUSD: 0.4,
          webSearchRequests: 0,
          contextWindow: 200000,
        },
        [HAIKU]: {
          inputTokens: 9,
          outputTokens: 1,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
          costUSD: 0.02,
          webSearchRequests: 0,
          contextWindow: 200000,
        },
      },
    } as unknown as SDKMessage);
    spent.add(block('m9', SONNET, usage(1, 1, 1, 1))); // after the result: nothing changes

    const totals = spent.totals();
    expect(totals.costUsd).toBe(0.42);
    expect(totals.durationMs).toBe(1234);
    expect(totals.tokensIn).toBe(120 + 1000 + 600 + 9);
    expect(totals.tokensOut).toBe(31);
    expect(totals.byModel[SONNET]).toEqual({
      inputTokens: 120,
      outputTokens: 30,
      cacheReadInputTokens: 1000,
      cacheCreationInputTokens: 600,
      costUsd: 0.4,
    });
    expect(totals.byModel[HAIKU]?.costUsd).toBe(0.02);
  });
});
