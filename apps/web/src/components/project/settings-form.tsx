'use client';
/** Project settings (PATCH /api/v1/projects/{id}); read-only for roles that may not update projects. */
import { useState } from 'react';
import { ApiClientError, api } from '@/client/api';
import { buttonClass, Card, Field, inputClass } from '../ui';
import { useLiveProject } from './live-project';
import { CommandFields, commandsFromForm } from './settings-commands';
import { LimitFields, rolesFromForm, runnerFromForm } from './settings-limits';

const lines = (value: string) =>
  value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function ProjectSettingsForm() {
  const { state, can } = useLiveProject();
  const { project } = state;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<{ name: string; text: string } | null>(null);
  // `commandAllowlist.2` shows under the list; nested settings (`commands.test`) under their own input.
  const errorOf = (name: string) =>
    fieldError && (fieldError.name === name || fieldError.name.startsWith(`${name}.`))
      ? fieldError.text
      : undefined;
  const submit = async (form: FormData) => {
    setFieldError(null);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    try {
      await api.call('updateProject', {
        params: { projectId: project.id },
        body: {
          repositoryUrl: text('repositoryUrl'),
          defaultBranch: text('defaultBranch'),
          settings: {
            maxConcurrentAgents: Number(text('maxConcurrentAgents')),
            budgetPerFeatureUsd: Number(text('budgetPerFeatureUsd')),
            commandAllowlist: lines(text('commandAllowlist')),
            requirePlanApproval: form.get('requirePlanApproval') === 'on',
            commands: commandsFromForm(form),
            roles: rolesFromForm(form),
            runner: runnerFromForm(form),
            egressAllowlist: lines(text('egressAllowlist')),
            setupRegistries: lines(text('setupRegistries')),
          },
        },
      });
      setMessage({ ok: true, text: 'Settings saved' });
    } catch (e) {
      // The API names the field (`settings.maxConcurrentAgents`, `settings.commands.test`):
      // show the message under that input.
      const field = e instanceof ApiClientError ? e.field?.replace(/^settings\./, '') : undefined;
      if (field) setFieldError({ name: field, text: (e as Error).message.replace(/^[\w.]+: /, '') });
      setMessage({ ok: false, text: field ? 'Not saved: fix the highlighted field.' : (e as Error).message });
    }
  };
  const disabled = !can.editProject;
  return (
    <Card className="max-w-2xl p-5">
      {/* noValidate: the API's zod schema is the one validator; its field errors show inline. */}
      <form action={(form) => void submit(form)} noValidate className="space-y-4">
        <fieldset disabled={disabled} className="space-y-4">
          <Field label="Repository URL" name="repositoryUrl" error={errorOf('repositoryUrl')}>
            <input
              id="repositoryUrl"
              name="repositoryUrl"
              defaultValue={project.repositoryUrl}
              className={inputClass}
            />
          </Field>
          <Field label="Default branch" name="defaultBranch" error={errorOf('defaultBranch')}>
            <input
              id="defaultBranch"
              name="defaultBranch"
              defaultValue={project.defaultBranch}
              className={inputClass}
            />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field
              label="Concurrent agents"
              name="maxConcurrentAgents"
              error={errorOf('maxConcurrentAgents')}
              hint="1–20"
            >
              <input
                id="maxConcurrentAgents"
                name="maxConcurrentAgents"
                type="number"
                min={1}
                max={20}
                defaultValue={project.settings.maxConcurrentAgents}
                className={inputClass}
              />
            </Field>
            <Field
              label="Budget per feature (USD)"
              name="budgetPerFeatureUsd"
              error={errorOf('budgetPerFeatureUsd')}
            >
              <input
                id="budgetPerFeatureUsd"
                name="budgetPerFeatureUsd"
                type="number"
                step="0.01"
                min={0}
                defaultValue={project.settings.budgetPerFeatureUsd}
                className={inputClass}
              />
            </Field>
          </div>
          <Field
            label="Command allowlist"
            name="commandAllowlist"
            error={errorOf('commandAllowlist')}
            hint="One command prefix per line, e.g. npm test"
          >
            <textarea
              id="commandAllowlist"
              name="commandAllowlist"
              rows={5}
              defaultValue={project.settings.commandAllowlist.join('\n')}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <CommandFields project={project} errorOf={errorOf} />
          <LimitFields project={project} errorOf={errorOf} />
          <Field
            label="Extra egress hosts"
            name="egressAllowlist"
            error={errorOf('egressAllowlist')}
            hint="Hosts agents may reach besides the platform and the model, one per line: host or host:port"
          >
            <textarea
              id="egressAllowlist"
              name="egressAllowlist"
              rows={3}
              defaultValue={project.settings.egressAllowlist.join('\n')}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <Field
            label="Setup registries"
            name="setupRegistries"
            error={errorOf('setupRegistries')}
            hint="https:// registry URLs setup may use, one per line; empty: the registries configured on the machine"
          >
            <textarea
              id="setupRegistries"
              name="setupRegistries"
              rows={2}
              defaultValue={project.settings.setupRegistries.join('\n')}
              className={`${inputClass} font-mono`}
            />
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              id="requirePlanApproval"
              name="requirePlanApproval"
              defaultChecked={project.settings.requirePlanApproval}
              className="mt-1"
            />
            <span>
              <span className="font-medium">Approve plans before coding</span>
              <span className="block text-muted">
                Each architect&apos;s plan waits in Needs Input until someone approves it or says what to
                change.
              </span>
            </span>
          </label>
        </fieldset>
        {message ? (
          <p
            role={message.ok ? 'status' : 'alert'}
            className={`text-sm ${message.ok ? 'text-ok' : 'text-danger'}`}
          >
            {message.text}
          </p>
        ) : null}
        {disabled ? (
          <p className="text-sm text-muted">Your role can view these settings but not change them.</p>
        ) : (
          <button type="submit" className={buttonClass}>
            Save settings
          </button>
        )}
      </form>
    </Card>
  );
}
