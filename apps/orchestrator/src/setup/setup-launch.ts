/**
 * How a feature's setup run starts. Everything the host can settle without compute is settled
 * here: with the project's environment in the cache it is copied into the freshly seeded
 * checkout, and with the base commit's test baseline already recorded (or no test command) the
 * run finishes at once — no runner starts, the architect follows within milliseconds. Otherwise
 * a runner installs (egress to the registries only) and/or runs the baseline.
 */
import type { SetupOutput } from '@omakase/api-contract';
import {
  type AgentRun,
  effectiveCommands,
  type Feature,
  type Project,
  type TenantStore,
} from '@omakase/domain';
import type { Destination } from '../compute/egress-proxy';
import type { Workspaces } from '../git/publish';
import type { EnvironmentCache } from './env-cache';
import { machineRegistries, projectRegistries, type Registries } from './registries';
import { toolchainVersions } from './toolchain';

export type SetupLaunch =
  | { compute: false; baseCommit: string | null; output: SetupOutput }
  | {
      compute: true;
      baseCommit: string | null;
      env: Record<string, string>;
      writableBinds: string[];
      egress: Destination[];
    };

export interface SetupLaunchInput {
  project: Project;
  feature: Feature;
  run: AgentRun;
  branch: string;
  workspaceDir: string;
}

export async function planSetupLaunch(
  deps: { cache: EnvironmentCache; workspaces: Workspaces; store: TenantStore },
  { project, feature, run, branch, workspaceDir }: SetupLaunchInput,
): Promise<SetupLaunch> {
  const commands = effectiveCommands(project.settings.commands, project.detectedCommands);
  const env = deps.workspaces.environment
    ? await deps.workspaces.environment(project, feature, branch, commands.setup, await toolchainVersions())
    : null;
  const key = commands.setup && env ? env.key : null;
  const baseCommit = env?.baseCommit ?? null;

  const started = Date.now();
  const restored = key ? await deps.cache.restore(project, key, workspaceDir) : null;
  const baseline =
    commands.test && baseCommit
      ? await deps.store.baselines.get(project.id, baseCommit, commands.test)
      : null;
  const environmentReady = !commands.setup || restored !== null;
  const baselineReady = !commands.test || baseline !== null || !baseCommit;
  if (environmentReady && baselineReady) {
    if (baseline) await deps.store.baselines.countReuse(project.id, baseline.baseCommit, baseline.command);
    return {
      compute: false,
      baseCommit,
      output: {
        setup: null,
        environment:
          key && restored
            ? { key, restored: true, saved: false, paths: restored, ms: Date.now() - started }
            : null,
        baseline: (baseline?.summary as SetupOutput['baseline']) ?? null,
      },
    };
  }

  const install = !environmentReady && key !== null;
  const registries: Registries = install
    ? project.settings.setupRegistries.length > 0
      ? projectRegistries(project.settings.setupRegistries)
      : await machineRegistries()
    : { destinations: [], env: {} };
  const staging = install ? await deps.cache.prepareStaging(project, run.id) : null;
  return {
    compute: true,
    baseCommit,
    env: {
      ...(key ? { OMAKASE_ENV_KEY: key } : {}),
      ...(staging ? { OMAKASE_ENV_STAGING_DIR: staging } : {}),
      ...(install ? { OMAKASE_SETUP_ENV: JSON.stringify(registries.env) } : {}),
    },
    writableBinds: staging ? [staging] : [],
    egress: registries.destinations,
  };
}
