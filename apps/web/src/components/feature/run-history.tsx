'use client';
/** Runs of the feature, newest first; the selected run's log streams live over SSE (`/api/v1/runs/{id}/events`). */
import { type RunDto, type RunEventDto, setupOutputSchema } from '@omakase/api-contract';
import { useEffect, useRef, useState } from 'react';
import { routeUrl } from '@/client/api';
import { activeState, MASCOTS, Mascot } from '../mascot';
import { formatUsd, runUsageLabel } from '../project/feature-card';
import { Card } from '../ui';

const STATE_OF: Record<RunDto['status'], 'idle' | 'success' | 'error' | null> = {
  queued: 'idle',
  running: null,
  succeeded: 'success',
  failed: 'error',
  cancelled: 'error',
};

/** What a finished setup run did: it has no model, so no tokens to show. */
export function setupLabel(run: RunDto): string | null {
  const output = setupOutputSchema.safeParse(run.output);
  if (run.role !== 'setup' || !output.success) return null;
  const { setup, environment, baseline } = output.data;
  const parts = [
    environment?.restored
      ? 'cached env'
      : setup
        ? `installed in ${(setup.durationMs / 1000).toFixed(1)} s`
        : 'no install',
    baseline
      ? `baseline ${baseline.failing.length === 0 && baseline.exitCode === 0 ? 'green' : `${baseline.failing.length || 'some'} failing`}`
      : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function RunHistory({ runs }: { runs: RunDto[] }) {
  const newestFirst = [...runs].reverse();
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected ?? newestFirst[0]?.id ?? null;
  const total = runs.reduce((sum, r) => sum + r.costUsd, 0);
  return (
    <div className="space-y-4">
      <Card className="p-4">
        <h3 className="mb-2 flex items-center justify-between font-semibold">
          Runs <span className="font-mono text-sm text-muted">{formatUsd(total)}</span>
        </h3>
        {runs.length === 0 ? <p className="text-sm text-muted">No runs yet.</p> : null}
        <ul className="space-y-1" data-testid="run-history">
          {newestFirst.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                onClick={() => setSelected(run.id)}
                aria-pressed={run.id === current}
                className={`flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-xs ${run.id === current ? 'bg-subtle' : 'hover:bg-subtle'}`}
              >
                <Mascot
                  agent={run.role}
                  state={STATE_OF[run.status] ?? activeState(run.role)}
                  size={24}
                  label={false}
                />
                <span className="flex-1">
                  <span className="font-medium">{MASCOTS[run.role].title}</span> #{run.attempt} · {run.status}
                </span>
                <span className="font-mono text-muted">
                  {setupLabel(run) ?? runUsageLabel(run) ?? 'running…'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
      {current ? <RunLog runId={current} /> : null}
    </div>
  );
}

function describe(event: RunEventDto): string {
  const p = event.payload as Record<string, unknown>;
  const text = p.text ?? p.command ?? p.path ?? p.name ?? p.message ?? p.verdict;
  return typeof text === 'string' ? text : JSON.stringify(p);
}

function RunLog({ runId }: { runId: string }) {
  const [events, setEvents] = useState<RunEventDto[]>([]);
  const [live, setLive] = useState(true);
  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setEvents([]);
    setLive(true);
    const source = new EventSource(routeUrl('listRunEvents', { params: { runId } }), {
      withCredentials: true,
    });
    source.addEventListener('run-event', (e) => {
      const event = JSON.parse((e as MessageEvent<string>).data) as RunEventDto;
      setEvents((list) => (list.some((x) => x.seq === event.seq) ? list : [...list, event]));
    });
    source.addEventListener('run-finished', () => {
      setLive(false);
      source.close();
    });
    return () => source.close();
  }, [runId]);
  // Braces matter: Chromium's scrollIntoView returns a promise, which React would call as the cleanup.
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when events arrive
  useEffect(() => {
    void bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [events.length]);
  return (
    <Card className="p-4">
      <h3 className="mb-2 flex items-center gap-2 font-semibold">
        Log{' '}
        {live ? (
          <span className="size-2 animate-pulse rounded-full bg-ok motion-reduce:animate-none" title="live" />
        ) : null}
      </h3>
      <div
        className="max-h-96 overflow-auto rounded-md bg-[#16151a] p-2 font-mono text-[11px] leading-5 text-[#e7e5e4]"
        data-testid="run-log"
      >
        {events.length === 0 ? <p className="text-[#a8a29e]">No events yet.</p> : null}
        {events.map((e) => (
          <div key={e.seq} className="flex gap-2">
            <span className="w-16 shrink-0 text-[#a8a29e]">{e.type}</span>
            <span className="break-all whitespace-pre-wrap">{describe(e).slice(0, 2000)}</span>
          </div>
        ))}
        <div ref={bottom} />
      </div>
    </Card>
  );
}
