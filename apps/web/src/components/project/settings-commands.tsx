'use client';
/**
 * The project's commands: each input holds the user's value; when empty, the detected command
 * shows as its placeholder with a "detected" badge and where it came from. Clearing an input
 * saves `null`, which goes back to the detected command.
 */
import type { ProjectDto } from '@omakase/api-contract';
import { PROJECT_COMMANDS, type ProjectCommandName } from '@omakase/domain';
import { Badge, Field, inputClass } from '../ui';

const LABELS: Record<ProjectCommandName, string> = {
  setup: 'Setup (install dependencies)',
  test: 'Test',
  lint: 'Lint',
  typecheck: 'Typecheck',
  build: 'Build',
};

export function commandsFromForm(form: FormData): Record<ProjectCommandName, string | null> {
  return Object.fromEntries(
    PROJECT_COMMANDS.map((name) => [name, String(form.get(`commands.${name}`) ?? '').trim() || null]),
  ) as Record<ProjectCommandName, string | null>;
}

export function CommandFields({
  project,
  errorOf,
}: {
  project: ProjectDto;
  errorOf: (name: string) => string | undefined;
}) {
  const detected = project.detectedCommands;
  return (
    <fieldset className="space-y-3" aria-labelledby="commands-legend">
      <legend id="commands-legend" className="text-sm font-semibold">
        Commands
      </legend>
      <p className="text-xs text-muted">
        {detected
          ? `Detected from the repository at ${detected.baseCommit.slice(0, 10)}. Leave a field empty to use the detected command.`
          : 'Not detected yet: the repository is read when the project is created and whenever its default branch moves.'}
      </p>
      {PROJECT_COMMANDS.map((name) => {
        const user = project.settings.commands[name];
        const found = detected?.commands[name];
        const id = `commands.${name}`;
        return (
          <div key={name} data-command={name}>
            <Field
              label={LABELS[name]}
              name={id}
              error={errorOf(id)}
              hint={found ? `detected from ${found.source}` : 'none detected'}
            >
              <div className="flex items-center gap-2">
                <input
                  id={id}
                  name={id}
                  defaultValue={user ?? ''}
                  placeholder={found?.command ?? ''}
                  className={`${inputClass} font-mono`}
                />
                {!user && found ? <Badge tone="info">detected</Badge> : null}
              </div>
            </Field>
          </div>
        );
      })}
    </fieldset>
  );
}
