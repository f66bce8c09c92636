'use client';
import type { FeatureDto } from '@omakase/api-contract';
import { isLiveRun, type PipelineStage, type Priority, STAGE_ROLE } from '@omakase/domain';
import Link from 'next/link';
import { memo } from 'react';
import { activeRunOf } from '@/client/board-state';
import { PRIORITY_LABEL, PRIORITY_TONE, STATUS_LABEL, STATUS_TONE } from '../labels';
import { activeState, MASCOTS, Mascot } from '../mascot';
import { Badge } from '../ui';
import { CommandButtons } from './command-buttons';
import { useLiveProject } from './live-project';

export const formatUsd = (usd: number) => (usd < 0.01 && usd > 0 ? '<$0.01' : `$${usd.toFixed(2)}`);

/**
 * "1,234 tok · $0.02" once a run has reported its usage; null while it runs (the runner reports
 * tokens and cost with its result, so a live run would show a misleading 0).
 */
export function runUsageLabel(run: { status: string; tokensIn: number; tokensOut: number; costUsd: number }) {
  const tokens = run.tokensIn + run.tokensOut;
  if (tokens === 0 && isLiveRun(run)) return null;
  return `${tokens.toLocaleString()} tok · ${formatUsd(run.costUsd)}`;
}

export function isBlocked(feature: FeatureDto, features: Map<string, FeatureDto>): boolean {
  return feature.dependsOn.some((id) => features.get(id)?.status !== 'done');
}

export const FeatureCard = memo(function FeatureCard({ feature }: { feature: FeatureDto }) {
  const { state } = useLiveProject();
  // A feature's active status is named after its stage; other statuses have no agent.
  const role = STAGE_ROLE[feature.status as PipelineStage] ?? undefined;
  const run = role ? activeRunOf(state, feature.id) : undefined;
  const thought = run ? state.thoughts.get(run.id) : undefined;
  const blocked = feature.status === 'pending' && isBlocked(feature, state.features);
  const cost = state.costs.get(feature.id) ?? 0;
  const priority = feature.priority as Priority;
  return (
    <article
      data-testid="feature-card"
      data-feature-key={feature.key}
      data-status={feature.status}
      className="group rounded-lg border border-line bg-surface p-3 shadow-xs transition hover:border-accent/50 hover:shadow-sm"
    >
      <div className="flex items-center justify-between gap-2 text-xs text-muted">
        <span className="flex items-center gap-1.5">
          <span className="font-mono">{feature.key}</span>
          {feature.linearUrl ? (
            <a
              href={feature.linearUrl}
              target="_blank"
              rel="noreferrer"
              data-testid="card-linear-link"
              title="Open the Linear issue"
              className="hover:text-accent"
            >
              Linear ↗
            </a>
          ) : null}
        </span>
        <span className="flex items-center gap-1">
          {blocked ? <Badge tone="warn">blocked</Badge> : null}
          <Badge tone={PRIORITY_TONE[priority]}>
            <span title={PRIORITY_LABEL[priority]}>
              {priority === 0 ? '—' : `P${priority}`} {priority === 0 ? '' : PRIORITY_LABEL[priority]}
            </span>
          </Badge>
        </span>
      </div>
      <Link
        href={`/projects/${feature.projectId}/features/${feature.id}`}
        className="mt-1 block font-medium leading-snug hover:text-accent"
      >
        {feature.title}
      </Link>
      {role ? (
        <div className="mt-2 flex items-start gap-2 rounded-md bg-info-soft/60 p-2" data-testid="card-stage">
          <Mascot agent={role} state={activeState(role)} size={30} />
          <div className="min-w-0 text-xs">
            <p className="font-semibold text-info">
              {MASCOTS[role].title} · {MASCOTS[role].name}
            </p>
            <p className="line-clamp-2 text-muted" data-testid="card-thought">
              {thought?.text ?? (run?.status === 'queued' ? 'Waiting for a slot…' : 'Getting started…')}
            </p>
          </div>
        </div>
      ) : null}
      {feature.status === 'needs_input' && feature.needsInput ? (
        <p className="mt-2 line-clamp-2 rounded-md bg-warn-soft p-2 text-xs text-warn">
          {feature.needsInput.question}
        </p>
      ) : null}
      <div className="mt-2 flex items-center justify-between gap-2 text-xs text-muted">
        <span className="flex items-center gap-1.5">
          {feature.category ? (
            <span className="rounded bg-subtle px-1.5 py-0.5">{feature.category}</span>
          ) : null}
          {feature.dependsOn.length > 0 ? (
            <span title="Dependencies">
              {feature.dependsOn.length} {feature.dependsOn.length === 1 ? 'dep' : 'deps'}
            </span>
          ) : null}
          {!role && feature.status !== 'pending' && feature.status !== 'done' ? (
            <Badge tone={STATUS_TONE[feature.status]}>{STATUS_LABEL[feature.status]}</Badge>
          ) : null}
        </span>
        <span className="font-mono" title="Cost so far">
          {formatUsd(cost)}
        </span>
      </div>
      <CommandButtons feature={feature} compact />
    </article>
  );
});
