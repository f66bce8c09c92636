'use client';
/** Live activity of the project: transitions and runs as they stream in, then recent changes. */
import Link from 'next/link';
import { useMemo } from 'react';
import { STATUS_LABEL } from '../labels';
import { EmptyState } from '../ui';
import { useLiveProject } from './live-project';

export function ActivityFeed() {
  const { state } = useLiveProject();
  const recent = useMemo(
    () =>
      [...state.features.values()]
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, 30)
        .map((f) => ({
          id: f.id,
          at: f.updatedAt,
          featureId: f.id,
          text: `${f.key} is ${STATUS_LABEL[f.status].toLowerCase()}: ${f.title}`,
        })),
    [state.features],
  );
  const items = [...state.activity, ...recent];
  if (items.length === 0)
    return <EmptyState title="No activity yet" hint="Changes appear here as they happen." />;
  return (
    <ol className="max-w-3xl space-y-1" data-testid="activity-feed">
      {items.map((item) => (
        <li key={item.id} className="flex gap-3 rounded-md px-3 py-2 text-sm hover:bg-subtle">
          <time className="w-20 shrink-0 font-mono text-xs text-muted" dateTime={item.at}>
            {new Date(item.at).toLocaleTimeString()}
          </time>
          {item.featureId ? (
            <Link
              href={`/projects/${state.project.id}/features/${item.featureId}`}
              className="hover:text-accent"
            >
              {item.text}
            </Link>
          ) : (
            <span>{item.text}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
