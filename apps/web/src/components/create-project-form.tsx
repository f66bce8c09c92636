'use client';
import { useActionState } from 'react';
import { createProjectAction } from '@/app/actions';
import { IDLE } from '@/lib/form-state';
import { buttonClass, Field, inputClass } from './ui';

export function CreateProjectForm() {
  const [state, action, pending] = useActionState(createProjectAction, IDLE);
  const e = state.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Name" name="name" error={e.name}>
        <input id="name" name="name" className={inputClass} aria-invalid={!!e.name} placeholder="Shop" />
      </Field>
      <Field label="Key prefix" name="keyPrefix" error={e.keyPrefix} hint="2–10 uppercase letters, e.g. SHOP">
        <input id="keyPrefix" name="keyPrefix" className={inputClass} aria-invalid={!!e.keyPrefix} />
      </Field>
      <Field label="Repository URL" name="repositoryUrl" error={e.repositoryUrl}>
        <input
          id="repositoryUrl"
          name="repositoryUrl"
          className={inputClass}
          aria-invalid={!!e.repositoryUrl}
          placeholder="https://github.com/acme/shop.git"
        />
      </Field>
      <Field label="Default branch" name="defaultBranch" error={e.defaultBranch}>
        <input id="defaultBranch" name="defaultBranch" className={inputClass} placeholder="main" />
      </Field>
      <FormFooter pending={pending} label="Create project" state={state} />
    </form>
  );
}

export function FormFooter({
  pending,
  label,
  state,
}: {
  pending: boolean;
  label: string;
  state: { status: string; message?: string };
}) {
  return (
    <div className="flex items-center gap-3">
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? 'Saving…' : label}
      </button>
      {state.message ? (
        <p role="status" className={`text-sm ${state.status === 'ok' ? 'text-ok' : 'text-danger'}`}>
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
