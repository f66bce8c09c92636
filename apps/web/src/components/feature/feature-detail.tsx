'use client';
/** One feature: brief, the agents' outputs (plan, review, tests), diff, runs with a live log, cost and controls. */
import type { RunDto } from '@omakase/api-contract';
import type { CostTotals } from '@omakase/domain';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api } from '@/client/api';
import { CostEstimate } from '../cost-estimate';
import { PRIORITY_LABEL, STATUS_LABEL, STATUS_TONE } from '../labels';
import { CommandButtons } from '../project/command-buttons';
import { Dialog } from '../project/dialog';
import { formatUsd } from '../project/feature-card';
import { FeatureEditor } from '../project/feature-editor';
import { useLiveProject } from '../project/live-project';
import { Badge, Card, EmptyState } from '../ui';
import { AnswerForm } from './answer-form';
import { DiffView } from './diff-view';
import { RunHistory } from './run-history';
import { RunOutputs } from './run-outputs';

/** Measured totals of the runs shown, so the estimate always matches the run list beside it. */
function costTotals(runs: RunDto[]): CostTotals {
  return runs.reduce(
    (t, r) => ({
      tokensIn: t.tokensIn + r.tokensIn,
      tokensOut: t.tokensOut + r.tokensOut,
      costUsd: t.costUsd + r.costUsd,
      computeSeconds: t.computeSeconds + r.computeSeconds,
      runs: t.runs + 1,
    }),
    { tokensIn: 0, tokensOut: 0, costUsd: 0, computeSeconds: 0, runs: 0 },
  );
}

export function FeatureDetail({ featureId, initialRuns }: { featureId: string; initialRuns: RunDto[] }) {
  const { state, can } = useLiveProject();
  const router = useRouter();
  const feature = state.features.get(featureId);
  const [runs, setRuns] = useState(initialRuns);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const runsKey = [...state.runs.values()]
    .filter((r) => r.featureId === featureId)
    .map((r) => `${r.id}:${r.status}`)
    .join();
  const cost = state.costs.get(featureId) ?? 0;
  // Runs change → re-read this feature's runs (with outputs) once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch keyed on run/cost changes pushed by the stream
  useEffect(() => {
    let live = true;
    void api.call('listFeatureRuns', { params: { featureId } }).then((r) => live && setRuns(r.runs));
    return () => {
      live = false;
    };
  }, [featureId, runsKey, cost, feature?.status]);

  if (!feature) return <EmptyState title="This feature was deleted" />;
  const remove = async () => {
    if (!window.confirm(`Delete ${feature.key}?`)) return;
    try {
      await api.call('deleteFeature', { params: { featureId: feature.id } });
      router.push(`/projects/${feature.projectId}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const deps = feature.dependsOn.map((id) => state.features.get(id)).filter((f) => f !== undefined);
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_24rem]" data-testid="feature-detail">
      <div className="space-y-4">
        <Card className="space-y-3 p-5">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm text-muted">{feature.key}</span>
            <Badge tone={STATUS_TONE[feature.status]}>
              <span data-testid="feature-status">{STATUS_LABEL[feature.status]}</span>
            </Badge>
            <Badge>{PRIORITY_LABEL[feature.priority as 0]}</Badge>
            {feature.category ? <Badge tone="info">{feature.category}</Badge> : null}
            <span className="ml-auto font-mono text-sm" title="Cost so far">
              {formatUsd(cost)}
            </span>
          </div>
          <h2 className="text-xl font-semibold">{feature.title}</h2>
          {feature.description ? <p className="whitespace-pre-wrap text-sm">{feature.description}</p> : null}
          {feature.acceptanceCriteria.length ? (
            <div>
              <h3 className="text-sm font-semibold">Acceptance criteria</h3>
              <ul className="mt-1 list-inside list-disc text-sm">
                {feature.acceptanceCriteria.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {deps.length ? (
            <p className="text-sm text-muted">
              Depends on:{' '}
              {deps.map((d) => (
                <a
                  key={d.id}
                  href={`/projects/${d.projectId}/features/${d.id}`}
                  className="mr-2 font-mono hover:text-accent"
                >
                  {d.key} ({d.status === 'done' ? 'done' : 'open'})
                </a>
              ))}
            </p>
          ) : null}
          {feature.branchName ? (
            <p className="font-mono text-xs text-muted">branch {feature.branchName}</p>
          ) : null}
          {feature.pullRequestUrl ? (
            <a className="text-sm text-accent underline" href={feature.pullRequestUrl}>
              Pull request
            </a>
          ) : null}
          <div className="flex flex-wrap items-center gap-2 pt-1">
            <CommandButtons feature={feature} />
            {can.editFeatures ? (
              <button
                type="button"
                onClick={() => setEditing(true)}
                className="rounded-md px-3 py-1.5 text-sm text-muted hover:bg-subtle"
              >
                Edit
              </button>
            ) : null}
            {can.deleteFeatures ? (
              <button
                type="button"
                onClick={() => void remove()}
                className="rounded-md px-3 py-1.5 text-sm text-danger hover:bg-danger-soft"
              >
                Delete
              </button>
            ) : null}
          </div>
          {error ? (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          ) : null}
        </Card>
        {feature.status === 'needs_input' && feature.needsInput ? (
          <AnswerForm feature={feature} canAnswer={can.answer} />
        ) : null}
        <RunOutputs runs={runs} />
        <DiffView featureId={feature.id} refreshKey={`${feature.status}:${feature.branchName}`} />
      </div>
      <div className="space-y-4">
        <Card className="p-4">
          <h3 className="mb-2 font-semibold">Cost</h3>
          <div data-testid="feature-cost">
            <CostEstimate totals={costTotals(runs)} />
          </div>
        </Card>
        <RunHistory runs={runs} />
      </div>
      <Dialog title={`Edit ${feature.key}`} open={editing} onClose={() => setEditing(false)}>
        <FeatureEditor feature={feature} onDone={() => setEditing(false)} />
      </Dialog>
    </div>
  );
}
