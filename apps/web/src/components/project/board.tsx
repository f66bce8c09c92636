'use client';
/** The project's default view: status columns of live feature cards. */
import type { FeatureDto } from '@omakase/api-contract';
import { ACTIVE_FEATURE_STATUSES, type Priority } from '@omakase/domain';
import { useMemo, useState } from 'react';
import { api } from '@/client/api';
import { COLUMN_PAGE } from '@/client/board-state';
import { EmptyState } from '../ui';
import { FeatureCard } from './feature-card';
import { useLiveProject } from './live-project';

export const COLUMNS = [
  { id: 'pending', title: 'Pending', statuses: ['pending'] },
  { id: 'in_progress', title: 'In Progress', statuses: [...ACTIVE_FEATURE_STATUSES] },
  { id: 'needs_input', title: 'Needs Input', statuses: ['needs_input'] },
  { id: 'done', title: 'Done', statuses: ['done'] },
  { id: 'failed', title: 'Failed', statuses: ['failed', 'cancelled'] },
] as const;

/** Linear order: urgent first, "no priority" last, then key number. */
export function byPriority(a: FeatureDto, b: FeatureDto): number {
  const pa = a.priority === 0 ? 5 : a.priority;
  const pb = b.priority === 0 ? 5 : b.priority;
  return pa - pb || keyNumber(a.key) - keyNumber(b.key);
}
const keyNumber = (key: string) => Number(key.slice(key.lastIndexOf('-') + 1)) || 0;

export function Board() {
  const { state, can } = useLiveProject();
  const [dragging, setDragging] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Record<string, number>>({});
  const columns = useMemo(() => {
    const all = [...state.features.values()];
    return COLUMNS.map((column) => ({
      ...column,
      features: all.filter((f) => (column.statuses as readonly string[]).includes(f.status)).sort(byPriority),
    })).filter((c) => c.id !== 'failed' || c.features.length > 0);
  }, [state.features]);

  if (state.features.size === 0) {
    return (
      <EmptyState
        title="No features yet"
        hint={
          can.editFeatures ? 'Press n or use “New feature” to add the first one.' : 'Nothing to show yet.'
        }
      />
    );
  }

  // Dropping a card on another takes that card's priority: reordering across priority bands.
  const dropOn = async (target: FeatureDto) => {
    const id = dragging;
    setDragging(null);
    if (!id || id === target.id) return;
    const moved = state.features.get(id);
    if (!moved || moved.priority === target.priority) return;
    try {
      await api.call('updateFeature', {
        params: { featureId: id },
        body: { priority: target.priority as Priority },
      });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="space-y-2">
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <div className="grid auto-cols-[minmax(16rem,1fr)] grid-flow-col gap-4 overflow-x-auto pb-4">
        {columns.map((column) => (
          <section
            key={column.id}
            data-testid={`column-${column.id}`}
            aria-label={column.title}
            className="flex min-h-40 flex-col rounded-[var(--radius-card)] bg-subtle/70 p-2"
          >
            <h2 className="flex items-center justify-between px-2 pt-1 pb-2 text-sm font-semibold">
              {column.title}
              <span className="rounded-full bg-surface px-2 text-xs text-muted">
                {column.features.length}
              </span>
            </h2>
            <ol className="flex flex-col gap-2">
              {column.features.slice(0, shown[column.id] ?? COLUMN_PAGE).map((feature) => (
                <li
                  key={feature.id}
                  draggable={can.editFeatures}
                  onDragStart={() => setDragging(feature.id)}
                  onDragOver={(e) => dragging && e.preventDefault()}
                  onDrop={() => void dropOn(feature)}
                  className={dragging === feature.id ? 'opacity-50' : ''}
                >
                  <FeatureCard feature={feature} />
                </li>
              ))}
            </ol>
            {column.features.length > (shown[column.id] ?? COLUMN_PAGE) ? (
              <button
                type="button"
                onClick={() =>
                  setShown((s) => ({ ...s, [column.id]: (s[column.id] ?? COLUMN_PAGE) + COLUMN_PAGE * 4 }))
                }
                className="mt-2 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-surface hover:text-ink"
              >
                Show {Math.min(column.features.length - (shown[column.id] ?? COLUMN_PAGE), COLUMN_PAGE * 4)}{' '}
                more
              </button>
            ) : null}
          </section>
        ))}
      </div>
    </div>
  );
}
