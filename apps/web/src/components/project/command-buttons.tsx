'use client';
/** Start / stop / retry controls of one feature, shown only to roles allowed to use them. */
import type { FeatureDto } from '@omakase/api-contract';
import { ACTIVE_FEATURE_STATUSES } from '@omakase/domain';
import { useState } from 'react';
import { commands } from '@/client/api';
import { useLiveProject } from './live-project';

const ACTIVE = new Set<string>(ACTIVE_FEATURE_STATUSES);

export function CommandButtons({ feature, compact = false }: { feature: FeatureDto; compact?: boolean }) {
  const { can } = useLiveProject();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (command: 'start' | 'stop' | 'retry') => {
    setBusy(true);
    setError(null);
    try {
      await commands.feature(feature.id, command);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const buttons: { command: 'start' | 'stop' | 'retry'; label: string }[] = [];
  if (can.runPipeline && feature.status === 'pending') buttons.push({ command: 'start', label: 'Start' });
  if (can.stopPipeline && (ACTIVE.has(feature.status) || feature.status === 'needs_input')) {
    buttons.push({ command: 'stop', label: 'Stop' });
  }
  if (can.runPipeline && (feature.status === 'failed' || feature.status === 'cancelled')) {
    buttons.push({ command: 'retry', label: 'Retry' });
  }
  if (buttons.length === 0) return null;
  const size = compact ? 'px-2 py-0.5 text-xs' : 'px-3 py-1.5 text-sm';
  return (
    <div
      className={compact ? 'mt-2 flex flex-wrap items-center gap-1.5' : 'flex flex-wrap items-center gap-2'}
    >
      {buttons.map((b) => (
        <button
          key={b.command}
          type="button"
          disabled={busy}
          onClick={() => void run(b.command)}
          aria-label={`${b.label} ${feature.key}`}
          className={`rounded-md border border-line bg-surface font-medium hover:border-accent hover:text-accent disabled:opacity-50 ${size}`}
        >
          {b.label}
        </button>
      ))}
      {error ? (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
