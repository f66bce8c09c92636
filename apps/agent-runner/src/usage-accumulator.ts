import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { ModelUsage } from '@omakase/api-contract';
import { modelRatesFor, tokenUsageUsd } from '@omakase/domain';

export interface UsageTotals {
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  durationMs: number;
  byModel: Record<string, ModelUsage>;
}

const zero = (): ModelUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  costUsd: 0,
});

/**
 * What a run has spent so far. While it runs: each assistant message's usage, once per message id
 * (the SDK emits one message per content block, all with the same id and usage), per model.
 * The final result's `modelUsage` replaces that estimate with the SDK's own figures and cost.
 */
export class UsageAccumulator {
  private readonly seen = new Set<string>();
  private byModel: Record<string, ModelUsage> = {};
  private costUsd = 0;
  private durationMs = 0;
  private final = false;

  /** Returns true when the totals changed. */
  add(message: SDKMessage): boolean {
    if (message.type === 'assistant' && !this.final) {
      const id = message.message.id;
      if (!id || this.seen.has(id)) return false;
      this.seen.add(id);
      const usage = message.message.usage;
      const name = message.message.model || 'unknown';
      const model = this.byModel[name] ?? zero();
      this.byModel[name] = model;
      model.inputTokens += usage.input_tokens ?? 0;
      model.outputTokens += usage.output_tokens ?? 0;
      model.cacheReadInputTokens += usage.cache_read_input_tokens ?? 0;
      model.cacheCreationInputTokens += usage.cache_creation_input_tokens ?? 0;
      model.costUsd = tokenUsageUsd(model, modelRatesFor(name));
      return true;
    }
    if (message.type === 'result') {
      this.final = true;
      this.byModel = Object.fromEntries(
        Object.entries(message.modelUsage ?? {}).map(([name, usage]) => [
          name,
          {
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            cacheReadInputTokens: usage.cacheReadInputTokens,
            cacheCreationInputTokens: usage.cacheCreationInputTokens,
            costUsd: usage.costUSD,
          },
        ]),
      );
      this.costUsd = message.total_cost_usd;
      this.durationMs = message.duration_ms;
      return true;
    }
    return false;
  }

  totals(): UsageTotals {
    const models = Object.values(this.byModel);
    const sum = (pick: (model: ModelUsage) => number) =>
      models.reduce((total, model) => total + pick(model), 0);
    return {
      tokensIn: sum((m) => m.inputTokens + m.cacheReadInputTokens + m.cacheCreationInputTokens),
      tokensOut: sum((m) => m.outputTokens),
      costUsd: this.final ? this.costUsd : sum((m) => m.costUsd),
      durationMs: this.durationMs,
      byModel: structuredClone(this.byModel),
    };
  }
}
