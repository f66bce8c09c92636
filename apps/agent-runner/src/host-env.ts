/**
 * The machine's own variables a child of the runner (git, the project's commands, the agent) may
 * inherit: where programs are, the user's HOME, the locale, the temp dir, and the proxy the
 * sandbox sets for the agent. Read from process.env by name only — an explicit allow-list, because
 * the agent and the project's commands are hostile: nothing else of this process's environment
 * (its configuration and credentials, env.ts) may reach them. They describe the host, not the run,
 * so they are not part of the runner's parsed configuration.
 */
export type HostVariable = 'PATH' | 'HOME' | 'LANG' | 'TMPDIR' | 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY';

/** The host's value, or undefined when unset or empty. */
export function hostVariable(name: HostVariable): string | undefined {
  return process.env[name] || undefined;
}

/** The named host variables that are set. */
export function hostVariables(...names: HostVariable[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}
