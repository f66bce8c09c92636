import type { AgentIsolation } from '../agent-isolation';
import { isolationEnv } from '../agent-isolation';
import { hostVariable, hostVariables } from '../host-env';

/**
 * The environment the project's own commands (setup, tests) run with: what a developer's shell
 * has — PATH, HOME, locale, the sandbox's proxy, CI=true — plus `extra` (the registries setup may
 * use). Deliberately no NODE_ENV: `production` would make npm skip devDependencies, where test
 * runners live. Nothing of the runner's own configuration or credentials.
 */
export function commandEnv(
  isolation: AgentIsolation,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...hostVariables('PATH'),
    HOME: hostVariable('HOME') ?? '/tmp',
    LANG: hostVariable('LANG') ?? 'C.UTF-8',
    ...hostVariables('HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'),
    CI: 'true',
    // Output is read as text (logs, verdict parsing, the model): no colour codes.
    NO_COLOR: '1',
    ...extra,
    ...isolationEnv(isolation),
  };
}
