/**
 * What an agent costs to run in the cloud: Fargate compute (vCPU-hours + GB-hours, Spot at a
 * discount) plus model tokens. Pure, so the UI, the docs' worked examples and tests share it.
 * Rates: AWS Fargate Linux/x86, us-east-1 (docs/cost-model.md cites the date checked).
 */
export interface FargateRates {
  vcpuHourUsd: number;
  gbHourUsd: number;
  /** Fraction saved on Fargate Spot (~0.7: Spot costs ~30% of on-demand). */
  spotDiscount: number;
}

export const FARGATE_US_EAST_1: FargateRates = {
  vcpuHourUsd: 0.04048,
  gbHourUsd: 0.004445,
  spotDiscount: 0.7,
};

export interface TaskSize {
  vcpu: number;
  memoryGb: number;
}

/** The runner task definition in infra/ (1 vCPU, 2 GB). */
export const RUNNER_TASK_SIZE: TaskSize = { vcpu: 1, memoryGb: 2 };

export interface ModelRates {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
}

/** Claude Sonnet list prices per million tokens (override for other models). */
export const SONNET_RATES: ModelRates = { inputPerMTokUsd: 3, outputPerMTokUsd: 15 };

/** List prices by model family, for estimates before the SDK reports a run's own cost. */
export function modelRatesFor(model: string): ModelRates {
  if (/opus-4-[5-9]/.test(model)) return { inputPerMTokUsd: 5, outputPerMTokUsd: 25 };
  if (/opus/.test(model)) return { inputPerMTokUsd: 15, outputPerMTokUsd: 75 };
  if (/haiku/.test(model)) return { inputPerMTokUsd: 1, outputPerMTokUsd: 5 };
  return SONNET_RATES;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

/** Cache reads bill at 0.1× the input price, cache writes at 1.25× (Anthropic's prompt caching). */
export function tokenUsageUsd(usage: TokenUsage, rates: ModelRates): number {
  const inputEquivalent =
    usage.inputTokens + usage.cacheReadInputTokens * 0.1 + usage.cacheCreationInputTokens * 1.25;
  return modelUsd(inputEquivalent, usage.outputTokens, rates);
}

export function computeUsdPerHour(size: TaskSize, spot: boolean, rates = FARGATE_US_EAST_1): number {
  const onDemand = size.vcpu * rates.vcpuHourUsd + size.memoryGb * rates.gbHourUsd;
  return spot ? onDemand * (1 - rates.spotDiscount) : onDemand;
}

export function modelUsd(tokensIn: number, tokensOut: number, rates = SONNET_RATES): number {
  return (tokensIn * rates.inputPerMTokUsd + tokensOut * rates.outputPerMTokUsd) / 1_000_000;
}

export interface RunCostInput {
  computeSeconds: number;
  /** The model cost the runner measured (the SDK's total_cost_usd); preferred over token math. */
  measuredModelUsd: number;
  spot: boolean;
}

export interface CostEstimate {
  agentHours: number;
  computeUsd: number;
  modelUsd: number;
  totalUsd: number;
  /** computeUsd / totalUsd: how much of the bill Fargate is. */
  computeShare: number;
}

/** Per feature (or any set of runs): measured model cost plus estimated Fargate compute. */
export function estimateCost(
  runs: RunCostInput[],
  size = RUNNER_TASK_SIZE,
  rates = FARGATE_US_EAST_1,
): CostEstimate {
  let computeUsd = 0;
  let model = 0;
  let seconds = 0;
  for (const run of runs) {
    const s = Math.max(0, run.computeSeconds);
    seconds += s;
    computeUsd += (s / 3600) * computeUsdPerHour(size, run.spot, rates);
    model += Math.max(0, run.measuredModelUsd);
  }
  const totalUsd = computeUsd + model;
  return {
    agentHours: seconds / 3600,
    computeUsd,
    modelUsd: model,
    totalUsd,
    computeShare: totalUsd === 0 ? 0 : computeUsd / totalUsd,
  };
}

/** Cost of one agent-hour: compute plus the model tokens an agent burns in an hour. */
export function costPerAgentHour(
  tokensPerHour: { in: number; out: number },
  opts: { spot: boolean; size?: TaskSize; model?: ModelRates } = { spot: true },
): { computeUsd: number; modelUsd: number; totalUsd: number } {
  const computeUsd = computeUsdPerHour(opts.size ?? RUNNER_TASK_SIZE, opts.spot);
  const m = modelUsd(tokensPerHour.in, tokensPerHour.out, opts.model);
  return { computeUsd, modelUsd: m, totalUsd: computeUsd + m };
}
