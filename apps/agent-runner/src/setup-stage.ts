/**
 * The setup run (role `setup`, no model): before a feature's first agent, the checkout gets the
 * environment a developer would have — restored from the project's cache when it holds one for
 * this environment key, else installed by the project's setup command (its output streamed as run
 * events) and left in the staging directory for the platform to keep. Then the test command runs
 * once on the base commit: the baseline the tester's verdict compares against.
 *
 * A failing setup is still a *succeeded* run: its output says the command failed, and the
 * pipeline asks a human (Needs Input with the log's tail).
 */
import type { RunResult, RunSpec, SetupOutput } from '@omakase/api-contract';
import {
  excludeFromGit,
  readManifest,
  readMarker,
  restoreEnvironment,
  saveEnvironment,
  writeMarker,
} from '@omakase/workspace-env';
import type { Logger } from 'pino';
import { type AgentIsolation, isolatedArgv } from './agent-isolation';
import { runCommand } from './command-process';
import { commandEnv } from './environment/command-env';
import { environmentPaths, untrackedPaths } from './environment/snapshot';
import type { EventSink } from './event-sink';
import { OutputStream } from './output-stream';
import type { Redactor } from './redact';
import { baselineSummary, runTestCommand } from './test-verdict';
import { baseCommitOf, git, prepareWorkspace } from './workspace';

/** Where this run finds and leaves the project's environment (all absent: no cache). */
export interface EnvironmentContext {
  key?: string;
  /** The cache entry for `key` (read-only; may not exist). */
  entryDir?: string;
  /** Setup runs: where an installed environment is copied for the platform to keep. */
  stagingDir?: string;
  /** Registry configuration for the setup command (npm_config_registry, PIP_INDEX_URL…). */
  setupEnv?: Record<string, string>;
}

export interface SetupStageOptions {
  spec: RunSpec;
  workspace: string;
  sink: EventSink;
  redactor: Redactor;
  signal: AbortSignal;
  isolation: AgentIsolation;
  environment: EnvironmentContext;
  logger: Logger;
}

const LOG_TAIL_BYTES = 16 * 1024;
const DEFAULT_SETUP_TIMEOUT_MS = 20 * 60_000;
const ZERO_USAGE = { tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0, byModel: {} };

export async function runSetup(opts: SetupStageOptions): Promise<RunResult> {
  const { spec, workspace, sink, redactor } = opts;
  const started = Date.now();
  const result: Finish = (outcome, exitReason, output, message) => ({
    outcome,
    exitReason,
    output: output as RunResult['output'],
    usage: { ...ZERO_USAGE, durationMs: Date.now() - started },
    ...(message ? { message: redactor.redactString(message) } : {}),
  });
  let output: SetupOutput;
  try {
    await prepareWorkspace({
      dir: workspace,
      repositoryUrl: spec.project.repositoryUrl,
      defaultBranch: spec.project.defaultBranch,
      branch: spec.workspace.branch,
    });
    output = { setup: null, environment: null, baseline: null };
    const environment = await provideEnvironment(opts, output);
    if (environment === 'failed') return result('succeeded', 'completed', output);
    if (opts.signal.aborted) return aborted(opts.signal, result, output);
    output.baseline = await baseline(opts);
  } catch (error) {
    if (opts.signal.aborted) return aborted(opts.signal, result, null);
    const message = (error as Error).message;
    sink.emit('error', { kind: 'workspace_error', message: redactor.redactString(message) });
    return result('failed', 'workspace_error', null, message);
  }
  if (opts.signal.aborted) return aborted(opts.signal, result, output);
  return result('succeeded', 'completed', output);
}

type Finish = (
  outcome: RunResult['outcome'],
  exitReason: RunResult['exitReason'],
  output: SetupOutput | null,
  message?: string,
) => RunResult;

const aborted = (signal: AbortSignal, result: Finish, output: SetupOutput | null) =>
  signal.reason === 'timeout'
    ? result('failed', 'timeout', output)
    : result('cancelled', 'cancelled', output);

/** Restores, or installs and stages; fills `output`. 'failed' when the setup command failed. */
async function provideEnvironment(opts: SetupStageOptions, output: SetupOutput): Promise<'ok' | 'failed'> {
  const { spec, workspace, environment, sink } = opts;
  const key = environment.key;
  const command = spec.project.commands?.setup;
  const begun = Date.now();
  if (key && (await restoreFromCache(workspace, environment))) {
    const marker = await readMarker(workspace);
    output.environment = {
      key,
      restored: true,
      saved: false,
      paths: marker?.paths ?? [],
      ms: Date.now() - begun,
    };
    sink.emit('command', {
      toolUseId: 'setup',
      command: 'restore the environment from the project cache',
      key,
    });
    return 'ok';
  }
  if (!command) return 'ok';

  const before = await untrackedPaths(workspace);
  sink.emit('command', { toolUseId: 'setup', command });
  const stream = new OutputStream((text, stream) =>
    sink.emit('output', { toolUseId: 'setup', stream, text: opts.redactor.redactString(text) }),
  );
  const run = await runCommand(
    {
      command,
      cwd: workspace,
      argvWrapper: (argv, cwd) => isolatedArgv(opts.isolation, argv, cwd),
      env: commandEnv(opts.isolation, environment.setupEnv),
      timeoutMs: spec.limits?.shellTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
      onOutput: (chunk, which) => stream.push(chunk, which),
      signal: opts.signal,
    },
    { tailBytes: LOG_TAIL_BYTES, captureStdoutChars: 0 },
  );
  stream.flush();
  output.setup = {
    command,
    exitCode: run.exitCode,
    timedOut: run.timedOut,
    durationMs: run.durationMs,
    logTail: opts.redactor.redactString(run.tail.toString()),
  };
  if (run.exitCode !== 0 || run.timedOut || run.aborted) return 'failed';

  const paths = environmentPaths(before, await untrackedPaths(workspace));
  await excludeFromGit(workspace, paths);
  let saved = false;
  if (key && environment.stagingDir && paths.length > 0) {
    await saveEnvironment({ workspace, paths, stagingDir: environment.stagingDir, key });
    saved = true;
  }
  if (key) await writeMarker(workspace, { key, paths });
  output.environment = key ? { key, restored: false, saved, paths, ms: Date.now() - begun } : null;
  return 'ok';
}

/**
 * Agent runs and setup runs alike: when the checkout does not hold the environment for the key
 * and the cache does, copy it in. Returns whether the checkout now holds it.
 */
export async function restoreFromCache(workspace: string, environment: EnvironmentContext): Promise<boolean> {
  const { key, entryDir } = environment;
  if (!key) return false;
  if ((await readMarker(workspace))?.key === key) return true;
  if (!entryDir) return false;
  const manifest = await readManifest(entryDir, key);
  if (!manifest) return false;
  await restoreEnvironment({ workspace, entryDir, manifest });
  await excludeFromGit(workspace, manifest.paths);
  await writeMarker(workspace, { key, paths: manifest.paths });
  return true;
}

/** The test command on the base commit, when the checkout is still there (a fresh branch). */
async function baseline(opts: SetupStageOptions): Promise<SetupOutput['baseline']> {
  const { spec, workspace } = opts;
  const command = spec.project.commands?.test;
  if (!command || spec.baseline) return null;
  const base = spec.workspace.baseCommit ?? (await baseCommitOf(workspace, spec.project.defaultBranch));
  const head = (await git(workspace, ['rev-parse', 'HEAD'])).trim();
  if (head !== base) return null;
  opts.sink.emit('command', { toolUseId: 'baseline', command, purpose: 'baseline on the base commit' });
  const run = await runTestCommand({
    command,
    cwd: workspace,
    argvWrapper: (argv, cwd) => isolatedArgv(opts.isolation, argv, cwd),
    env: commandEnv(opts.isolation),
    timeoutMs: spec.limits?.shellTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS,
    signal: opts.signal,
    junitDir: junitDirOf(workspace),
  });
  opts.sink.emit('output', { toolUseId: 'baseline', text: opts.redactor.redactString(run.outputTail) });
  if (run.timedOut || run.aborted) return null;
  return baselineSummary(run, base);
}

export const junitDirOf = (workspace: string) => `${workspace}/.git/omakase/junit`;
