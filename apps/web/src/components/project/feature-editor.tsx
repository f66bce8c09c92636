'use client';
/** Create or edit a feature through the JSON API; the API's validation (cycles too) shows inline. */
import type { FeatureDto } from '@omakase/api-contract';
import { useMemo, useState } from 'react';
import { ApiClientError, api } from '@/client/api';
import { PRIORITY_LABEL } from '../labels';
import { buttonClass, Field, inputClass } from '../ui';
import { byPriority } from './board';
import { useLiveProject } from './live-project';

export function FeatureEditor({
  feature,
  onDone,
}: {
  feature?: FeatureDto;
  onDone: (f?: FeatureDto) => void;
}) {
  const { state } = useLiveProject();
  const [filter, setFilter] = useState('');
  const [dependsOn, setDependsOn] = useState<string[]>(feature?.dependsOn ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const options = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return [...state.features.values()]
      .filter((f) => f.id !== feature?.id)
      .filter((f) => !q || dependsOn.includes(f.id) || `${f.key} ${f.title}`.toLowerCase().includes(q))
      .sort(byPriority)
      .slice(0, 300);
  }, [state.features, filter, feature?.id, dependsOn]);

  const submit = async (form: FormData) => {
    const text = (name: string) => String(form.get(name) ?? '');
    const body = {
      title: text('title'),
      description: text('description'),
      acceptanceCriteria: text('acceptanceCriteria')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      category: text('category'),
      priority: Number(text('priority')),
      dependsOn,
    };
    setBusy(true);
    setErrors({});
    try {
      const saved = feature
        ? await api.call('updateFeature', { params: { featureId: feature.id }, body })
        : await api.call('createFeature', { params: { projectId: state.project.id }, body });
      onDone(saved);
    } catch (e) {
      const field = e instanceof ApiClientError && e.field ? e.field.split('.')[0]! : 'form';
      setErrors({ [field]: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form action={(form) => void submit(form)} className="space-y-3" noValidate>
      <Field label="Title" name="title" error={errors.title}>
        <input
          id="title"
          name="title"
          defaultValue={feature?.title}
          className={inputClass}
          aria-invalid={!!errors.title}
        />
      </Field>
      <Field label="Description" name="description" error={errors.description}>
        <textarea
          id="description"
          name="description"
          rows={3}
          defaultValue={feature?.description}
          className={inputClass}
        />
      </Field>
      <Field
        label="Acceptance criteria"
        name="acceptanceCriteria"
        hint="One per line"
        error={errors.acceptanceCriteria}
      >
        <textarea
          id="acceptanceCriteria"
          name="acceptanceCriteria"
          rows={3}
          defaultValue={feature?.acceptanceCriteria.join('\n')}
          className={inputClass}
        />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Category" name="category" error={errors.category}>
          <input id="category" name="category" defaultValue={feature?.category} className={inputClass} />
        </Field>
        <Field label="Priority" name="priority" error={errors.priority}>
          <select id="priority" name="priority" defaultValue={feature?.priority ?? 0} className={inputClass}>
            {([1, 2, 3, 4, 0] as const).map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABEL[p]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label={`Depends on (${dependsOn.length})`} name="dependsOn" error={errors.dependsOn}>
        <input
          type="search"
          placeholder="Filter by key or title"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className={`${inputClass} mb-1`}
          aria-label="Filter dependencies"
        />
        <select
          id="dependsOn"
          multiple
          value={dependsOn}
          onChange={(e) => setDependsOn([...e.target.selectedOptions].map((o) => o.value))}
          className={`${inputClass} h-32`}
          aria-invalid={!!errors.dependsOn}
        >
          {options.map((f) => (
            <option key={f.id} value={f.id}>
              {f.key} · {f.title}
            </option>
          ))}
        </select>
      </Field>
      {errors.form ? (
        <p role="alert" className="text-sm text-danger">
          {errors.form}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <button
          type="button"
          onClick={() => onDone()}
          className="rounded-md px-3 py-2 text-sm text-muted hover:bg-subtle"
        >
          Cancel
        </button>
        <button type="submit" disabled={busy} className={buttonClass}>
          {feature ? 'Save feature' : 'Add feature'}
        </button>
      </div>
    </form>
  );
}

/** Bulk add: one title per line, created in order. */
export function BulkAdd({ onDone }: { onDone: () => void }) {
  const { state } = useLiveProject();
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const submit = async (form: FormData) => {
    const titles = String(form.get('titles') ?? '')
      .split('\n')
      .map((l) => l.replace(/^\s*[-*•]\s*/, '').trim())
      .filter(Boolean);
    setError(null);
    for (const [i, title] of titles.entries()) {
      setProgress(`Adding ${i + 1} of ${titles.length}…`);
      try {
        await api.call('createFeature', { params: { projectId: state.project.id }, body: { title } });
      } catch (e) {
        setError(`Line ${i + 1} (“${title}”): ${(e as Error).message}`);
        setProgress(null);
        return;
      }
    }
    setProgress(null);
    onDone();
  };
  return (
    <form action={(form) => void submit(form)} className="space-y-3">
      <Field label="Titles" name="titles" hint="One feature title per line" error={error ?? undefined}>
        <textarea id="titles" name="titles" rows={8} className={inputClass} />
      </Field>
      <div className="flex items-center justify-end gap-2">
        {progress ? <span className="text-sm text-muted">{progress}</span> : null}
        <button
          type="button"
          onClick={onDone}
          className="rounded-md px-3 py-2 text-sm text-muted hover:bg-subtle"
        >
          Cancel
        </button>
        <button type="submit" className={buttonClass}>
          Add all
        </button>
      </div>
    </form>
  );
}
