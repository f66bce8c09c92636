/**
 * Measured model cost next to the estimated cloud compute for the same runs (cost model in
 * @omakase/domain, docs/cost-model.md). Takes the feature's `CostTotals` as the API returns them.
 */
import { type CostTotals, estimateCost } from '@omakase/domain';

const usd = (n: number) => (n < 0.01 && n > 0 ? '<$0.01' : `$${n.toFixed(2)}`);

export function CostEstimate({ totals, spot = true }: { totals: CostTotals; spot?: boolean }) {
  const est = estimateCost([
    { computeSeconds: totals.computeSeconds, measuredModelUsd: totals.costUsd, spot },
  ]);
  return (
    <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs" aria-label="Cost">
      <dt className="text-muted">Model (measured)</dt>
      <dd className="text-right tabular-nums">{usd(est.modelUsd)}</dd>
      <dt
        className="text-muted"
        title={`${est.agentHours.toFixed(2)} agent-hours on Fargate${spot ? ' Spot' : ''}`}
      >
        Compute (estimated)
      </dt>
      <dd className="text-right tabular-nums">{usd(est.computeUsd)}</dd>
      <dt className="font-medium">Total</dt>
      <dd className="text-right font-medium tabular-nums">{usd(est.totalUsd)}</dd>
    </dl>
  );
}
