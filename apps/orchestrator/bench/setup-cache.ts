/**
 * The setup stage on a real repository (lukeed/dequal, `@omakase/test-fixtures`) through the real
 * stack: the first feature's setup run installs in the sandbox (`npm install` from the registry)
 * and runs the baseline; every later feature of the project restores that environment from the
 * cache and reuses the baseline, so its setup settles without compute. Measured from the runs'
 * own timestamps and from the moment the driver is asked to start the architect.
 */
import { join } from 'node:path';
import { setupOutputSchema } from '@omakase/api-contract';
import { effectiveCommands, type Feature, type Project } from '@omakase/domain';
import { startFeature, stopFeature } from '@omakase/engine';
import { fixtureRepository } from '@omakase/test-fixtures';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import { localRunnerCommand } from '../src/compute/runner-command';
import type { ComputeDriver, ComputeSpec } from '../src/compute/types';
import { EnvironmentCache } from '../src/setup/env-cache';
import { type Stack, startStack, waitFor } from '../test/stack';
import { mean, percentile, quietLogger } from './support';

export interface SetupCacheResult {
  /** Setup run of the first feature, queued → finished (install + baseline in the sandbox). */
  coldSeconds: number;
  /** Of which the setup command itself (`npm install`), as the runner timed it. */
  coldInstallSeconds: number;
  /** Setup runs of the later features, queued → finished (restore from the cache), mean and p95. */
  cachedMeanSeconds: number;
  cachedP95Seconds: number;
  /** Copying the cached environment into the checkout, mean. */
  restoreMeanMs: number;
  /** Feature ready (start committed) → the driver starts its architect, later features. */
  readyToArchitectP50Ms: number;
  readyToArchitectP95Ms: number;
  cachedFeatures: number;
  /** Setup runs that started a runner (installs and baselines) over all features. */
  setupLaunches: number;
  /** Runs that compared against the stored baseline of the base commit instead of running it. */
  baselineReuses: number;
}

const OPTS = { orgMaxConcurrentAgents: 10 };
const seconds = (from: Date | null, to: Date | null) =>
  from && to ? (to.getTime() - from.getTime()) / 1000 : Number.NaN;

/** The local sandboxed driver, noting when it is asked to start each feature's runs, by role. */
function observedDriver(stack: Stack) {
  const local = new LocalProcessDriver({
    runnerCommand: localRunnerCommand(),
    hiddenDirs: [stack.dataDir],
    sandbox: 'auto',
    stopGraceMs: 500,
    logger: quietLogger(),
  });
  const waiting = new Map<string, (at: number) => void>();
  const roles: string[] = [];
  const driver: ComputeDriver = Object.assign(Object.create(local) as ComputeDriver, {
    start: (spec: ComputeSpec) => {
      roles.push(spec.role);
      if (spec.role === 'architect') waiting.get(spec.featureId)?.(performance.now());
      return local.start(spec);
    },
  });
  const architectStarted = (featureId: string) =>
    new Promise<number>((resolve) => waiting.set(featureId, resolve));
  return { driver, roles, architectStarted };
}

export async function benchSetupCache(opts: { cachedFeatures?: number } = {}): Promise<SetupCacheResult> {
  const { cachedFeatures = 10 } = opts;
  const stack = await startStack();
  try {
    const { driver, roles, architectStarted } = observedDriver(stack);
    await stack.startOrchestrator('bench-setup', driver);
    const { store, storage } = stack;
    const dir = await fixtureRepository(
      'dequal',
      join(stack.dataDir, 'repos', stack.project.orgId, 'dequal'),
    );
    const project = await store.projects.create({
      name: 'dequal',
      keyPrefix: 'DEQ',
      repositoryUrl: `file://${dir}`,
      settings: { maxConcurrentAgents: 2, budgetPerFeatureUsd: 5 },
    });
    // Paused: only the features the bench starts run (an active project starts ready ones itself).
    await store.projects.update(project.id, { status: 'paused' });

    /** Starts a feature and stops it once its architect is starting: only setup is measured. */
    const throughSetup = async (title: string) => {
      const feature = await store.features.create(project.id, { title, acceptanceCriteria: [title] });
      const started = architectStarted(feature.id);
      const readyAt = performance.now();
      const start = await startFeature(store, feature.id, OPTS);
      if (!start.ok) throw new Error(`${title} did not start: ${JSON.stringify(start.error)}`);
      const readyToArchitectMs = (await started) - readyAt;
      const [setup] = await store.runs.listByFeature(feature.id);
      if (setup?.role !== 'setup' || setup.status !== 'succeeded') {
        throw new Error(`${title}: setup ended ${setup?.status} (${setup?.exitReason})`);
      }
      return { feature, setup, output: setupOutputSchema.parse(setup.output), readyToArchitectMs };
    };
    const stop = (feature: Feature) => stopFeature(store, feature.id);

    const cold = await throughSetup('Cold setup');
    const key = cold.output.environment?.key;
    if (!cold.output.setup || !key) throw new Error('the first setup did not install');
    // The run's staged environment becomes the cache entry right after the run completes.
    const cache = new EnvironmentCache(join(stack.dataDir, 'workspaces'));
    await waitFor(storage, () => cache.has(project, key), 'the environment in the cache');
    await stop(cold.feature);

    const cached: Awaited<ReturnType<typeof throughSetup>>[] = [];
    for (let i = 1; i <= cachedFeatures; i++) {
      const next = await throughSetup(`Cached setup ${i}`);
      if (next.output.setup !== null || !next.output.environment?.restored) {
        throw new Error(`feature ${i} installed again instead of restoring the cache`);
      }
      cached.push(next);
      await stop(next.feature);
    }

    const cachedSeconds = cached.map((c) => seconds(c.setup.createdAt, c.setup.finishedAt));
    const ready = cached.map((c) => c.readyToArchitectMs);
    const baseline = await baselineOf(stack, project, cold.setup.baseCommit);
    return {
      coldSeconds: seconds(cold.setup.createdAt, cold.setup.finishedAt),
      coldInstallSeconds: cold.output.setup.durationMs / 1000,
      cachedMeanSeconds: mean(cachedSeconds),
      cachedP95Seconds: percentile(cachedSeconds, 95),
      restoreMeanMs: mean(cached.map((c) => c.output.environment?.ms ?? 0)),
      readyToArchitectP50Ms: percentile(ready, 50),
      readyToArchitectP95Ms: percentile(ready, 95),
      cachedFeatures,
      setupLaunches: roles.filter((r) => r === 'setup').length,
      baselineReuses: baseline?.reuses ?? 0,
    };
  } finally {
    await stack.close();
  }
}

async function baselineOf(stack: Stack, project: Project, baseCommit: string | null) {
  const current = (await stack.store.projects.get(project.id))!;
  const test = effectiveCommands(current.settings.commands, current.detectedCommands).test;
  return test && baseCommit ? stack.store.baselines.get(project.id, baseCommit, test) : null;
}
