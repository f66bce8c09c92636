import { describe, expect, it } from 'vitest';
import {
  computeUsdPerHour,
  costPerAgentHour,
  estimateCost,
  modelRatesFor,
  modelUsd,
  RUNNER_TASK_SIZE,
  tokenUsageUsd,
} from '../src';

describe('cost model', () => {
  it('prices the 1 vCPU / 2 GB runner from the us-east-1 Fargate rates', () => {
    expect(computeUsdPerHour(RUNNER_TASK_SIZE, false)).toBeCloseTo(0.04048 + 2 * 0.004445, 10);
    expect(computeUsdPerHour(RUNNER_TASK_SIZE, true)).toBeCloseTo(0.04937 * 0.3, 10);
  });

  it('adds measured model cost to estimated compute per feature', () => {
    const est = estimateCost([
      { computeSeconds: 1800, measuredModelUsd: 0.5, spot: true },
      { computeSeconds: 1800, measuredModelUsd: 0.25, spot: false },
    ]);
    expect(est.agentHours).toBe(1);
    expect(est.computeUsd).toBeCloseTo(0.5 * 0.04937 * 0.3 + 0.5 * 0.04937, 10);
    expect(est.modelUsd).toBe(0.75);
    expect(est.totalUsd).toBeCloseTo(est.computeUsd + 0.75, 10);
    expect(est.computeShare).toBeLessThan(0.1);
    expect(estimateCost([]).computeShare).toBe(0);
  });

  it('computes an agent-hour with token costs', () => {
    expect(modelUsd(1_000_000, 100_000)).toBeCloseTo(4.5, 10);
    const hour = costPerAgentHour({ in: 2_000_000, out: 200_000 }, { spot: true });
    expect(hour.modelUsd).toBeCloseTo(9, 10);
    expect(hour.totalUsd).toBeCloseTo(9 + 0.04937 * 0.3, 10);
  });

  it('estimates token usage by model family, cache reads and writes at their own rates', () => {
    expect(modelRatesFor('claude-opus-4-5-20251101')).toEqual({ inputPerMTokUsd: 5, outputPerMTokUsd: 25 });
    expect(modelRatesFor('claude-3-opus-20240229').outputPerMTokUsd).toBe(75);
    expect(modelRatesFor('claude-haiku-4-5').inputPerMTokUsd).toBe(1);
    const usage = {
      inputTokens: 1e6,
      outputTokens: 1e6,
      cacheReadInputTokens: 1e6,
      cacheCreationInputTokens: 1e6,
    };
    expect(tokenUsageUsd(usage, modelRatesFor('claude-sonnet-4-5'))).toBeCloseTo(3 + 15 + 0.3 + 3.75, 10);
  });
});
