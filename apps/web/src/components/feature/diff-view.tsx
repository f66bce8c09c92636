'use client';
/** The branch diff with per-line highlighting (file headers, hunks, additions, deletions). */
import type { FeatureDiffDto } from '@omakase/api-contract';
import { useEffect, useState } from 'react';
import { api } from '@/client/api';
import { Card } from '../ui';

function lineClass(line: string): string {
  if (line.startsWith('diff --git')) return 'mt-3 bg-subtle font-semibold text-ink';
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('index ')) return 'text-muted';
  if (line.startsWith('@@')) return 'bg-info-soft text-info';
  if (line.startsWith('+')) return 'bg-ok-soft text-ok';
  if (line.startsWith('-')) return 'bg-danger-soft text-danger';
  return '';
}

export function DiffView({ featureId, refreshKey }: { featureId: string; refreshKey: string }) {
  const [diff, setDiff] = useState<FeatureDiffDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey changes when the branch may have moved
  useEffect(() => {
    let live = true;
    api.call('getFeatureDiff', { params: { featureId } }).then(
      (d) => live && setDiff(d),
      (e) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [featureId, refreshKey]);
  const lines = diff?.diff ? diff.diff.split('\n').slice(0, 5000) : [];
  return (
    <Card className="p-4">
      <h3 className="mb-2 font-semibold">
        Diff{' '}
        {diff?.branch ? (
          <span className="font-mono text-xs text-muted">
            {diff.base}...{diff.branch}
          </span>
        ) : null}
      </h3>
      {error ? <p className="text-sm text-danger">{error}</p> : null}
      {diff?.unavailable ? <p className="text-sm text-muted">{diff.unavailable}</p> : null}
      {diff && !diff.unavailable && !diff.diff ? <p className="text-sm text-muted">No changes.</p> : null}
      {lines.length ? (
        <pre
          className="max-h-[32rem] overflow-auto rounded-md border border-line text-xs leading-5"
          data-testid="diff"
        >
          {lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diff lines are positional
            <div key={i} className={`px-3 font-mono whitespace-pre ${lineClass(line)}`}>
              {line || ' '}
            </div>
          ))}
        </pre>
      ) : null}
      {diff?.truncated ? <p className="mt-1 text-xs text-warn">Diff truncated (size cap).</p> : null}
    </Card>
  );
}
