'use client';
/** Per-role model and limits, and the cloud runner's size (shown in minutes, stored in ms). */
import type { ProjectDto } from '@omakase/api-contract';
import { AGENT_ROLES, FARGATE_SIZES, ROLE_LIMIT_BOUNDS } from '@omakase/domain';
import { Field, inputClass } from '../ui';

const MINUTE = 60_000;
const minutes = (ms: number) => String(Math.round((ms / MINUTE) * 100) / 100);
const toMs = (value: FormDataEntryValue | null) => Math.round(Number(String(value ?? '').trim()) * MINUTE);
const num = (value: FormDataEntryValue | null) => Number(String(value ?? '').trim());
const human = (ms: number) => (ms < MINUTE ? `${ms / 1000} s` : `${ms / MINUTE} min`);
const range = (bounds: { min: number; max: number }) => `${human(bounds.min)}–${human(bounds.max)}`;

export function rolesFromForm(form: FormData) {
  const roles: Record<string, unknown> = {};
  for (const role of AGENT_ROLES) {
    roles[role] = {
      model: String(form.get(`roles.${role}.model`) ?? '').trim() || null,
      maxTurns: num(form.get(`roles.${role}.maxTurns`)),
      wallClockMs: toMs(form.get(`roles.${role}.wallClockMs`)),
      shellTimeoutMs: toMs(form.get(`roles.${role}.shellTimeoutMs`)),
    };
  }
  roles.setup = {
    wallClockMs: toMs(form.get('roles.setup.wallClockMs')),
    shellTimeoutMs: toMs(form.get('roles.setup.shellTimeoutMs')),
  };
  return roles;
}

export function runnerFromForm(form: FormData) {
  return { cpu: num(form.get('runner.cpu')), memoryMiB: num(form.get('runner.memoryMiB')) };
}

export function LimitFields({
  project,
  errorOf,
}: {
  project: ProjectDto;
  errorOf: (name: string) => string | undefined;
}) {
  const { roles, runner } = project.settings;
  const input = (name: string, value: string | number, extra: Record<string, unknown> = {}) => (
    <Field label={label(name)} name={name} error={errorOf(name)}>
      <input id={name} name={name} defaultValue={value} className={inputClass} {...extra} />
    </Field>
  );
  return (
    <fieldset className="space-y-4" aria-labelledby="limits-legend">
      <legend id="limits-legend" className="text-sm font-semibold">
        Models and limits
      </legend>
      <p className="text-xs text-muted">
        Wall clock: {range(ROLE_LIMIT_BOUNDS.wallClockMs)} per run. Shell timeout: per command (
        {range(ROLE_LIMIT_BOUNDS.shellTimeoutMs)}); long test suites need more than the tool&apos;s 2 minutes.
        An empty model uses the default.
      </p>
      {AGENT_ROLES.map((role) => (
        <div key={role} className="grid grid-cols-4 gap-3" data-role={role}>
          {input(`roles.${role}.model`, roles[role].model ?? '', { placeholder: 'default' })}
          {input(`roles.${role}.maxTurns`, roles[role].maxTurns, { type: 'number', min: 1 })}
          {input(`roles.${role}.wallClockMs`, minutes(roles[role].wallClockMs), {
            type: 'number',
            step: 'any',
          })}
          {input(`roles.${role}.shellTimeoutMs`, minutes(roles[role].shellTimeoutMs), {
            type: 'number',
            step: 'any',
          })}
        </div>
      ))}
      <div className="grid grid-cols-4 gap-3" data-role="setup">
        {input('roles.setup.wallClockMs', minutes(roles.setup.wallClockMs), { type: 'number', step: 'any' })}
        {input('roles.setup.shellTimeoutMs', minutes(roles.setup.shellTimeoutMs), {
          type: 'number',
          step: 'any',
        })}
      </div>
      <div className="grid grid-cols-2 gap-4">
        <Field
          label="Runner CPU (units)"
          name="runner.cpu"
          error={errorOf('runner.cpu')}
          hint="Cloud runs only"
        >
          <select id="runner.cpu" name="runner.cpu" defaultValue={runner.cpu} className={inputClass}>
            {Object.keys(FARGATE_SIZES).map((cpu) => (
              <option key={cpu} value={cpu}>
                {cpu} ({Number(cpu) / 1024} vCPU)
              </option>
            ))}
          </select>
        </Field>
        {input('runner.memoryMiB', runner.memoryMiB, { type: 'number', step: 512 })}
      </div>
    </fieldset>
  );
}

function label(name: string): string {
  const [group, role, field] = name.split('.');
  if (group === 'runner') return 'Runner memory (MiB)';
  const what: Record<string, string> = {
    model: 'model',
    maxTurns: 'max turns',
    wallClockMs: 'wall clock (min)',
    shellTimeoutMs: 'shell timeout (min)',
  };
  return `${role![0]!.toUpperCase()}${role!.slice(1)} ${what[field!]}`;
}
