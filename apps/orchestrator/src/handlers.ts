/**
 * What the orchestrator does with each kind of work item. Every pipeline transition happens in
 * one transaction together with the completion of the item that caused it, so a crash either
 * loses the whole step (the item's lease expires and it runs again) or none of it.
 */
import {
  branchNameFor,
  DEFAULT_RUNNER_RESOURCES,
  type Feature,
  type Project,
  type RunId,
  type Storage,
  type WorkItem,
} from '@omakase/domain';
import {
  applyEvent,
  completeRun,
  decideLaunch,
  isLinearWorkKind,
  type LinearWorkKind,
  markRunStarted,
  parseWorkItem,
  recordRunLost,
  requeueRun,
  scheduleProject,
  type TypedWorkItem,
  type WorkKind,
} from '@omakase/engine';
import type { Logger } from 'pino';
import { isLaunchRefused } from './compute/launch-refused';
import type { ComputeDriver, ComputeExit, ComputeSpec, RunHandle } from './compute/types';
import type { WarmPool } from './compute/warm-pool';
import { pruneWorkspaces } from './git/prune';
import { gitWorkspaces, type Workspaces } from './git/publish';
import type { LinearWorker } from './linear';
import { NO_MODEL_KEY_REASON, type OrgCredentials } from './org-credentials';
import type { RunTokenSource } from './run-tokens';
import { EnvironmentCache } from './setup/env-cache';
import {
  finishSetupWithoutCompute,
  freshForSetup,
  keepEnvironment,
  type SetupHandlerDeps,
} from './setup/setup-handlers';
import { planSetupLaunch } from './setup/setup-launch';
import type { Worker, WorkOutcome } from './worker';

export interface HandlerDeps {
  storage: Storage;
  driver: ComputeDriver;
  workerId: string;
  apiUrl: string;
  /** Each launch's run token: asked of the API (M2M), or signed locally on a single host. */
  runTokens: RunTokenSource;
  workspacesDir: string;
  /** Replaces the git workspaces under `workspacesDir` (benchmarks, pull request wiring). */
  workspaces?: Workspaces;
  orgMaxConcurrentAgents: number;
  /** Model endpoint for runners; the API key is passed as a secret, never as plain env. */
  model: { baseUrl?: string; apiKey?: string };
  /**
   * Per-org credentials (the org's saved Anthropic key, the deployment's only for listed orgs).
   * With them, `model.apiKey` only tells a real deployment from demo mode.
   */
  credentials?: OrgCredentials;
  logger: Logger;
  /** Linear sync (optional): handles the `linear.*` work kinds. */
  linear?: LinearWorker;
  /** Warm runner pools (optional): a launch goes to a waiting warm task before a cold start. */
  warmPool?: WarmPool;
  /** Launch attempts whose workspace could not be prepared before the run is failed (default 3). */
  maxLaunchAttempts?: number;
  /** The work items' lease: a next stage's launch handed straight to us is leased this long. */
  leaseMs: number;
}

/** Compute interruptions a run may absorb before the next one counts as a failed attempt. */
const MAX_INTERRUPTIONS = 3;
const MAX_LAUNCH_ATTEMPTS = 3;

interface HostedRun {
  item: WorkItem;
  handle: RunHandle;
}

export class Handlers {
  /** Runs whose compute this orchestrator started and still watches, by run id. */
  readonly hosted = new Map<RunId, HostedRun>();
  private readonly interruptions = new Map<RunId, number>();
  worker!: Worker;
  /** Set on shutdown: runs cut short then keep their state; their leases expire and they are retried. */
  closing = false;
  /** Agent runs this instance started (a restart or another instance counts its own). */
  launches = 0;
  private readonly workspaces: Workspaces;
  private readonly environments: EnvironmentCache;
  private readonly setupDeps: SetupHandlerDeps;

  constructor(private readonly deps: HandlerDeps) {
    this.workspaces = deps.workspaces ?? gitWorkspaces(deps.workspacesDir);
    this.environments = new EnvironmentCache(deps.workspacesDir);
    this.setupDeps = { ...deps, workspaces: this.workspaces, environments: this.environments };
    deps.driver.onExit((exit) => void this.onExit(exit));
  }

  /** One handler per kind of the catalog (the type fails to compile when a kind has none). */
  private readonly dispatch: { [K in WorkKind]: (item: TypedWorkItem<K>) => Promise<WorkOutcome> } = {
    'project.schedule': (item) => this.schedule(item),
    'run.completed': (item) => this.completed(item),
    'feature.push': (item) => this.push(item),
    'run.launch': (item) => this.launch(item),
    'project.detect': (item) => this.detect(item),
    'linear.inbox': (item) => this.linearWork(item),
    'linear.outbox': (item) => this.linearWork(item),
    'linear.feature': (item) => this.linearWork(item),
  };

  /** The kinds this orchestrator claims: Linear's only when its Linear worker is configured. */
  get kinds(): WorkKind[] {
    const all = Object.keys(this.dispatch) as WorkKind[];
    return this.deps.linear ? all : all.filter((kind) => !isLinearWorkKind(kind));
  }

  /** Checks the item against the catalog (a malformed one throws `MalformedWorkItem`) and runs its handler. */
  handle = async (raw: WorkItem): Promise<WorkOutcome> => {
    const item = parseWorkItem(raw);
    const handler = this.dispatch[item.kind] as (item: TypedWorkItem) => Promise<WorkOutcome>;
    return handler(item);
  };

  private async linearWork(item: TypedWorkItem<LinearWorkKind>): Promise<'done'> {
    // Not claimed without a Linear worker; should one arrive anyway, it is retried, never dropped.
    if (!this.deps.linear) throw new Error(`${item.kind} needs the Linear worker (OMAKASE_MASTER_KEY)`);
    await this.deps.linear.handle(item);
    await this.complete(item);
    return 'done';
  }

  private complete(item: WorkItem) {
    return this.deps.storage.forOrg(item.orgId).work.complete(item.id, this.deps.workerId);
  }

  /** The claimed item, for the engine's units that complete it with their writes. */
  private claimed(item: WorkItem) {
    return { id: item.id, workerId: this.deps.workerId };
  }

  private async schedule(item: WorkItem) {
    await scheduleProject(this.deps.storage.forOrg(item.orgId), item.subjectId as Feature['projectId'], {
      orgMaxConcurrentAgents: this.deps.orgMaxConcurrentAgents,
      completeWork: this.claimed(item),
    });
    return 'done' as const;
  }

  private async completed(item: WorkItem) {
    const outcome = await completeRun(this.deps.storage.forOrg(item.orgId), item.subjectId as RunId, {
      completeWork: this.claimed(item),
      // The next stage's launch comes straight back to us: no wake-up and claim in between.
      handOff: { workerId: this.deps.workerId, leaseMs: this.deps.leaseMs },
    });
    this.deps.logger.debug({ runId: item.subjectId, applied: outcome.applied }, 'run completed');
    if (outcome.run) await keepEnvironment(this.setupDeps, outcome.run);
    const next = outcome.applied ? outcome.handedOff[0] : undefined;
    return next ? { continueWith: next } : 'done';
  }

  private async push(item: TypedWorkItem<'feature.push'>) {
    const store = this.deps.storage.forOrg(item.orgId);
    const feature = await store.features.get(item.subjectId as Feature['id']);
    if (feature?.counters.stage !== 'pushing' || feature.status !== 'testing') {
      await this.complete(item);
      return 'done' as const;
    }
    const branch = branchNameFor(feature.key, feature.title);
    const { attempt } = item.payload;
    const project = await store.projects.get(feature.projectId);
    let event: Parameters<typeof applyEvent>[2];
    try {
      if (!project) throw new Error('the project no longer exists');
      const { pullRequestUrl } = await this.workspaces.publish(project, feature, branch);
      event = { type: 'branch_pushed', branchName: branch, pullRequestUrl };
    } catch (error) {
      this.deps.logger.warn({ err: error, feature: feature.key, attempt }, 'publishing the branch failed');
      event = { type: 'stage_failed', attempt, reason: `push failed: ${(error as Error).message}` };
    }
    // The item completes with the transition (before what it enqueues: a retried push is a new
    // item, not this one re-opened with its attempt number), or alone when the feature moved.
    const applied = await applyEvent(store, feature, event, { completeWork: this.claimed(item) });
    if (!applied.ok) await this.complete(item);
    const finished = applied.ok && applied.value.status === 'done';
    // Done: the branch on the remote is the feature's work now, so its checkout goes. (A feature
    // stopped during the push keeps it: a retry pushes again from there.)
    if (finished) await this.removeWorkspace(feature);
    return 'done' as const;
  }

  /** Start-up clean-up of checkouts a crash or a failed removal left behind. */
  pruneWorkspaces(): Promise<number> {
    return pruneWorkspaces(this.deps.workspacesDir, this.deps.storage, this.workspaces, this.deps.logger);
  }

  /** Best effort: a workspace left behind is removed by the next start's prune. */
  async removeWorkspace(feature: Pick<Feature, 'orgId' | 'id' | 'key'>) {
    await this.workspaces
      .remove(feature)
      .catch((error) =>
        this.deps.logger.warn({ err: error, feature: feature.key }, 'removing the workspace failed'),
      );
  }

  private async launch(item: WorkItem): Promise<'done' | 'keep'> {
    const { storage, driver, logger } = this.deps;
    const runId = item.subjectId as RunId;
    const store = storage.forOrg(item.orgId);
    const hosted = this.hosted.get(runId);
    if (hosted) return 'keep'; // our own lease lapsed during a stall; we still host it
    const decision = await decideLaunch(store, runId, this.claimed(item));
    if (decision.kind !== 'launch') return 'done';
    const { run, feature, project } = decision;
    // Before any clone: an org that may not use a model cannot run at all.
    const modelKey = await this.modelKeyFor(item.orgId);
    if (modelKey === null) {
      await this.refuseRun(item, runId, NO_MODEL_KEY_REASON);
      return 'done';
    }
    const branch = branchNameFor(feature.key, feature.title);
    // The token request (an API round trip) overlaps the clone and the detection after it (the
    // mirror was just fetched: if the default branch moved, the spec gets the new commands).
    // Both settle before a failure is thrown, so a retry never clones into a directory a
    // previous attempt is still writing.
    const [prepared, minted] = await Promise.allSettled([
      freshForSetup(this.setupDeps, run, feature).then(async () => {
        const dir = await this.workspaces.prepare(project, feature, branch);
        const detected = await this.storeDetectedCommands(project, { fetch: false }).catch((error) => {
          logger.warn({ err: error, projectId: project.id }, 'detecting the project commands failed');
          return null;
        });
        const current = detected ? { ...project, detectedCommands: detected } : project;
        const setup =
          run.role === 'setup'
            ? await planSetupLaunch(
                { cache: this.environments, workspaces: this.workspaces, store },
                { project: current, feature, run, branch, workspaceDir: dir },
              )
            : null;
        return { dir, setup };
      }),
      this.deps.runTokens.tokenFor(run),
    ]);
    if (prepared.status === 'rejected') {
      // An unreachable repository must not hold a worker forever: after a few tries (with the
      // worker's backoff) the run fails, and the pipeline's own bounded attempts take over.
      if (item.attempts < (this.deps.maxLaunchAttempts ?? MAX_LAUNCH_ATTEMPTS)) throw prepared.reason;
      const reason = `workspace_error: ${(prepared.reason as Error).message}`.slice(0, 1000);
      logger.warn(
        { runId, feature: feature.key, attempts: item.attempts, reason },
        'workspace failed; run failed',
      );
      await recordRunLost(store, runId, reason, { completeWork: this.claimed(item) });
      return 'done';
    }
    const { dir: workspaceDir, setup } = prepared.value;
    if (setup && !setup.compute) {
      await finishSetupWithoutCompute(this.setupDeps, item, run.id, setup);
      return 'done';
    }
    if (minted.status === 'rejected') throw minted.reason;
    const token = minted.value;
    const { runner } = project.settings;
    const spec: ComputeSpec = {
      runId,
      orgId: item.orgId,
      projectId: project.id,
      featureId: feature.id,
      role: run.role,
      urgent: feature.priority === 1,
      workspaceDir,
      env: {
        OMAKASE_API_URL: this.deps.apiUrl,
        OMAKASE_RUN_ID: runId,
        WORKSPACE_DIR: workspaceDir,
        ...(this.deps.model.baseUrl ? { ANTHROPIC_BASE_URL: this.deps.model.baseUrl } : {}),
        ...(setup?.env ?? {}),
      },
      secrets: { OMAKASE_RUN_TOKEN: token, ANTHROPIC_API_KEY: modelKey },
      ...(runner.cpu !== DEFAULT_RUNNER_RESOURCES.cpu ||
      runner.memoryMiB !== DEFAULT_RUNNER_RESOURCES.memoryMiB
        ? { resources: runner }
        : {}),
      // Setup reaches the package registries; agents what the project's admins allow.
      egress: setup ? setup.egress : project.settings.egressAllowlist.map(withPort),
      ...(setup?.writableBinds.length ? { writableBinds: setup.writableBinds } : {}),
    };
    let handle: RunHandle;
    try {
      // A warm task gets the run (and a fresh run token) from the API's claim endpoint instead.
      handle = (await this.deps.warmPool?.offer(spec)) ?? (await driver.start(spec));
    } catch (error) {
      if (!isLaunchRefused(error)) throw error;
      await this.refuseRun(item, runId, error.message);
      return 'done';
    }
    this.hosted.set(runId, { item, handle });
    this.launches++;
    // Conditional: a fast runner may already have reported (running, or even finished). When it
    // did not match, the run may also have been cancelled before we hosted it: stop it then.
    // (A cancellation after this update reaches `onRunCancelled` through the change feed.)
    const started = await markRunStarted(store, runId, setup ? { baseCommit: setup.baseCommit } : {});
    logger.info({ runId, role: run.role, feature: feature.key, handle }, 'agent started');
    if (started.status === 'cancelled') await driver.stop(handle);
    return 'keep';
  }

  /** A project was created or pointed elsewhere: read its commands from the repository. */
  private async detect(item: WorkItem) {
    const project = await this.deps.storage.forOrg(item.orgId).projects.get(item.subjectId as Project['id']);
    try {
      if (project) await this.storeDetectedCommands(project, { force: true });
    } catch (error) {
      // An unreachable repository: retried with the worker's backoff, then left to the next launch.
      if (item.attempts < (this.deps.maxLaunchAttempts ?? MAX_LAUNCH_ATTEMPTS)) throw error;
      this.deps.logger.warn(
        { err: error, projectId: item.subjectId },
        'detecting the project commands failed',
      );
    }
    await this.complete(item);
    return 'done' as const;
  }

  private async storeDetectedCommands(project: Project, opts: { fetch?: boolean; force?: boolean }) {
    const detected = await this.workspaces.detect?.(project, opts);
    if (!detected) return null;
    await this.deps.storage.forOrg(project.orgId).projects.update(project.id, { detectedCommands: detected });
    this.deps.logger.info(
      { projectId: project.id, baseCommit: detected.baseCommit, commands: Object.keys(detected.commands) },
      'project commands detected',
    );
    return detected;
  }

  /**
   * The org's key (or, for an org the operator lists, the deployment's). With a real model
   * configured and none of those: null, the run is refused. Demo mode (no deployment key at all:
   * the scripted model server) runs with a placeholder, as the SDK needs some key.
   */
  private async modelKeyFor(orgId: WorkItem['orgId']): Promise<string | null> {
    const { credentials, model } = this.deps;
    // Without a credential service (tests, single-tenant embeddings) the configured key applies.
    const key = credentials ? await credentials.anthropicApiKey(orgId) : model.apiKey;
    if (key) return key;
    return model.apiKey ? null : 'demo-mode-no-key';
  }

  /** A run that cannot start for good: failed with a reason, its launch item done (no retry). */
  private async refuseRun(item: WorkItem, runId: RunId, reason: string): Promise<void> {
    this.deps.logger.warn({ runId, orgId: item.orgId, reason }, 'run refused');
    await recordRunLost(this.deps.storage.forOrg(item.orgId), runId, reason.slice(0, 1000), {
      completeWork: this.claimed(item),
    });
  }

  private async onExit(exit: ComputeExit): Promise<void> {
    const hosted = this.hosted.get(exit.runId);
    if (!hosted || this.closing) return;
    this.hosted.delete(exit.runId);
    this.worker.unhold(hosted.item.id);
    if (exit.reason === 'interrupted' && (await this.requeueInterrupted(hosted, exit))) return;
    const reason = exit.reason === 'interrupted' ? 'compute_interrupted' : `runner_exited_${exit.exitCode}`;
    try {
      await recordRunLost(this.deps.storage.forOrg(hosted.item.orgId), exit.runId, reason, {
        completeWork: this.claimed(hosted.item),
      });
    } catch (error) {
      this.deps.logger.error({ err: error, runId: exit.runId }, 'recording run exit failed');
    }
    this.worker.wake();
  }

  /**
   * The cloud took the capacity back (Spot reclaim): put the same run, same attempt, back in the
   * queue instead of failing it. Capped, so a run on capacity that keeps vanishing still ends.
   */
  private async requeueInterrupted(hosted: HostedRun, exit: ComputeExit): Promise<boolean> {
    const count = (this.interruptions.get(exit.runId) ?? 0) + 1;
    if (count > MAX_INTERRUPTIONS) return false;
    this.interruptions.set(exit.runId, count);
    const { storage, workerId, logger } = this.deps;
    try {
      const requeued = await requeueRun(storage.forOrg(hosted.item.orgId), exit.runId, 'compute_interrupted');
      if (!requeued) return false; // it reported a result (or was cancelled) before the reclaim
      // The launch item is still ours: releasing it makes it due again, and `launch` restarts the run.
      await storage.work.release({
        workerId,
        id: hosted.item.id,
        runAfter: new Date(),
        error: 'compute_interrupted',
      });
      logger.info({ runId: exit.runId, interruptions: count }, 'compute interrupted; run requeued');
      return true;
    } catch (error) {
      logger.error({ err: error, runId: exit.runId }, 'requeueing an interrupted run failed');
      return false;
    }
  }

  /** A run we host was cancelled (stop button, budget, project stop): end its compute. */
  async onRunCancelled(runId: RunId): Promise<void> {
    const hosted = this.hosted.get(runId);
    if (hosted) await this.deps.driver.stop(hosted.handle);
  }
}

/** An allowlist entry is `host` or `host:port`; without a port it means https. */
const withPort = (entry: string) =>
  /:\d+$/.test(entry) ? entry.toLowerCase() : `${entry.toLowerCase()}:443`;
