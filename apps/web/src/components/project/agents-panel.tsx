'use client';
/** Every active run of the project: mascot, feature, elapsed time, tokens and cost. */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { activeState, MASCOTS, Mascot } from '../mascot';
import { runUsageLabel } from './feature-card';
import { useLiveProject } from './live-project';

function elapsed(from: string, now: number) {
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export function AgentsPanel() {
  const { state } = useLiveProject();
  const [now, setNow] = useState(() => Date.now());
  const runs = [...state.runs.values()];
  // A clock for elapsed times (display only; data arrives by push).
  useEffect(() => {
    if (runs.length === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [runs.length]);
  return (
    <aside
      aria-label="Agents"
      data-testid="agents-panel"
      className="rounded-[var(--radius-card)] border border-line bg-surface p-3"
    >
      <div className="mb-2 flex items-center gap-2">
        <Mascot agent="orchestrator" state={runs.length ? 'working' : 'idle'} size={28} />
        <h2 className="text-sm font-semibold">Agents</h2>
        <span className="text-xs text-muted">{runs.length ? `${runs.length} active` : 'all idle'}</span>
      </div>
      {runs.length === 0 ? (
        <p className="text-xs text-muted">Maestro is waiting for work. Start a feature to wake the team.</p>
      ) : (
        <ul className="space-y-2">
          {runs.map((run) => {
            const feature = state.features.get(run.featureId);
            return (
              <li key={run.id} data-testid="agent-run" className="flex items-center gap-2 text-xs">
                <Mascot
                  agent={run.role}
                  state={run.status === 'queued' ? 'idle' : activeState(run.role)}
                  size={28}
                />
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium">
                    {MASCOTS[run.role].name} ·{' '}
                    <Link
                      className="hover:text-accent"
                      href={`/projects/${state.project.id}/features/${run.featureId}`}
                    >
                      {feature?.key ?? 'feature'}
                    </Link>
                  </p>
                  <p className="text-muted">
                    {[
                      run.status === 'queued' ? 'queued' : elapsed(run.startedAt ?? run.createdAt, now),
                      runUsageLabel(run),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
