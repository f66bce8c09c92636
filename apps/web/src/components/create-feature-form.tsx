'use client';
import { useActionState, useEffect, useRef } from 'react';
import { createFeatureAction } from '@/app/actions';
import { IDLE } from '@/lib/form-state';
import { FormFooter } from './create-project-form';
import { Field, inputClass } from './ui';

export interface DependencyOption {
  id: string;
  key: string;
  title: string;
}

export function CreateFeatureForm({
  projectId,
  options,
}: {
  projectId: string;
  options: DependencyOption[];
}) {
  const [state, action, pending] = useActionState(createFeatureAction.bind(null, projectId), IDLE);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === 'ok') form.current?.reset();
  }, [state]);
  const e = state.fieldErrors;
  return (
    <form ref={form} action={action} className="space-y-4" noValidate>
      <Field label="Title" name="title" error={e.title}>
        <input id="title" name="title" className={inputClass} aria-invalid={!!e.title} />
      </Field>
      <Field label="Description" name="description" error={e.description}>
        <textarea id="description" name="description" rows={3} className={inputClass} />
      </Field>
      <Field
        label="Acceptance criteria"
        name="acceptanceCriteria"
        error={e.acceptanceCriteria}
        hint="One per line"
      >
        <textarea id="acceptanceCriteria" name="acceptanceCriteria" rows={3} className={inputClass} />
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Category" name="category" error={e.category}>
          <input id="category" name="category" className={inputClass} placeholder="backend" />
        </Field>
        <Field label="Priority" name="priority" error={e.priority}>
          <select id="priority" name="priority" defaultValue="3" className={inputClass}>
            <option value="1">Urgent</option>
            <option value="2">High</option>
            <option value="3">Medium</option>
            <option value="4">Low</option>
            <option value="0">No priority</option>
          </select>
        </Field>
      </div>
      {options.length > 0 ? (
        <Field label="Depends on" name="dependsOn" error={e.dependsOn} hint="Ctrl/⌘-click to pick several">
          <select
            id="dependsOn"
            name="dependsOn"
            multiple
            size={Math.min(6, options.length)}
            className={inputClass}
          >
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.key} · {o.title}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <FormFooter pending={pending} label="Add feature" state={state} />
    </form>
  );
}
