/**
 * Keeps N warm runner tasks per org (sizes from WARM_POOL_SIZES, 0 = no pool) and offers each
 * launch to a waiting one before the caller falls back to a cold start. Hand-over and counting
 * live in Postgres (`WarmPoolStore`), so several orchestrators share one pool per org; each
 * watches the tasks it started. A task serves exactly one run; the pool refills right after
 * every hand-over and whenever one of its tasks ends.
 */

import type { WarmPoolStore } from '@omakase/db';
import { backoffMs, type OrgId, type RunId } from '@omakase/domain';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ComputeDriver, ComputeExit, ComputeSpec, RunHandle } from './types';

export interface WarmPoolOptions {
  store: WarmPoolStore;
  driver: ComputeDriver;
  /** Warm tasks per org; orgs not listed have none. */
  sizes: ReadonlyMap<OrgId, number>;
  ownerId: string;
  /** Plain configuration every warm task gets: API URL, token endpoint, audience, model URL. */
  env: Record<string, string>;
  /** Re-checks every pool this often (covers tasks other orchestrators lost). */
  checkIntervalMs?: number;
  /** First pause after a warm task failed without a run (doubles per failure, up to 5 min). */
  failureBackoffMs?: number;
  logger: Logger;
}

/** `org_a=2,org_b=1` → sizes; the one place pool sizes are configured (see docs/deploy.md). */
export function parsePoolSizes(value: string | undefined): Map<OrgId, number> {
  const entry = z.tuple([z.string().regex(/^org_[0-9a-z]+$/), z.coerce.number().int().min(0).max(50)]);
  const sizes = new Map<OrgId, number>();
  for (const part of (value ?? '').split(',').map((s) => s.trim())) {
    if (!part) continue;
    const [org, size] = entry.parse(part.split('='));
    sizes.set(org as OrgId, size);
  }
  return sizes;
}

export class WarmPool {
  /** Warm tasks this orchestrator started, by handle. */
  private readonly mine = new Map<RunHandle, { orgId: OrgId; warmId: string }>();
  private readonly topping = new Map<OrgId, Promise<void>>();
  /**
   * Orgs whose warm tasks fail before serving (bad M2M credentials, API unreachable): refilling
   * at once would loop RunTask, so the pool pauses, doubling per consecutive failure.
   */
  private readonly failing = new Map<OrgId, { count: number; until: number }>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Counters for tests and benchmarks. */
  readonly stats = { started: 0, offered: 0, served: 0 };

  constructor(private readonly o: WarmPoolOptions) {
    if (!o.driver.startWarm || !o.driver.adopt) {
      throw new Error(`the ${o.driver.name} driver cannot run warm pools`);
    }
    o.driver.onExit((exit) => void this.onExit(exit));
  }

  get enabled(): boolean {
    return [...this.o.sizes.values()].some((n) => n > 0);
  }

  async start(): Promise<void> {
    await Promise.all([...this.o.sizes.keys()].map((org) => this.topUp(org)));
    this.timer = setInterval(() => {
      for (const org of this.o.sizes.keys()) void this.topUp(org);
    }, this.o.checkIntervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Hands the run to a waiting warm task of its org; null when there is none (start cold). */
  async offer(spec: ComputeSpec): Promise<RunHandle | null> {
    // A warm task has the task definition's size: a run sized for its project starts its own.
    if (this.closed || !this.o.sizes.get(spec.orgId) || spec.resources) return null;
    this.stats.offered++;
    // A warm task was started before its run, so the org's model key cannot be in its environment:
    // it fetches the key with the run token (the task definition's key is the fallback).
    const env = { ...spec.env, OMAKASE_ROLE: spec.role, OMAKASE_MODEL_KEY_SOURCE: 'api' };
    const hit = await this.o.store.assign(spec.orgId, spec.runId, env);
    if (!hit) return null;
    this.o.driver.adopt!(hit.handle, spec.runId);
    this.stats.served++;
    this.failing.delete(spec.orgId); // its tasks work again
    this.o.logger.info(
      { runId: spec.runId, warmId: hit.warmId, handle: hit.handle },
      'run handed to a warm task',
    );
    void this.topUp(spec.orgId);
    return hit.handle;
  }

  /** Serialised per org: reserve the missing rows, then start one task per row. */
  topUp(orgId: OrgId): Promise<void> {
    const previous = this.topping.get(orgId) ?? Promise.resolve();
    const next = previous.then(() => this.fill(orgId));
    this.topping.set(orgId, next);
    return next;
  }

  private async fill(orgId: OrgId): Promise<void> {
    const size = this.o.sizes.get(orgId) ?? 0;
    if (this.closed || size === 0 || this.pausedUntil(orgId) > Date.now()) return;
    try {
      const ids = await this.o.store.reserve(orgId, this.o.ownerId, size);
      await Promise.all(ids.map((warmId) => this.startOne(orgId, warmId)));
    } catch (error) {
      this.o.logger.error({ err: error, orgId }, 'topping up the warm pool failed');
    }
  }

  private async startOne(orgId: OrgId, warmId: string): Promise<void> {
    try {
      const handle = await this.o.driver.startWarm!({ warmId, orgId, env: this.o.env });
      this.mine.set(handle, { orgId, warmId });
      this.stats.started++;
      await this.o.store.setHandle(orgId, warmId, handle);
    } catch (error) {
      this.o.logger.warn({ err: error, orgId, warmId }, 'starting a warm task failed');
      await this.o.store.remove(orgId, warmId).catch(() => {});
    }
  }

  private async onExit(exit: ComputeExit): Promise<void> {
    const task = this.mine.get(exit.handle);
    if (!task) return;
    this.mine.delete(exit.handle);
    // Served or idle, the task is gone: its row goes, the pool refills (a run it held is the
    // hosting orchestrator's to recover, like any lost run).
    await this.o.store.remove(task.orgId, task.warmId).catch(() => {});
    if (exit.runId === (task.warmId as RunId)) {
      this.o.logger.info({ warmId: task.warmId, reason: exit.reason }, 'warm task ended without a run');
      if (exit.reason !== 'completed') this.pause(task.orgId); // an idle exit (0) is routine
    }
    if (!this.closed) void this.topUp(task.orgId);
  }

  /** Until when the org's pool waits before starting tasks again (0: not paused). */
  pausedUntil(orgId: OrgId): number {
    return this.failing.get(orgId)?.until ?? 0;
  }

  private pause(orgId: OrgId) {
    const count = (this.failing.get(orgId)?.count ?? 0) + 1;
    const delay = backoffMs(count, { baseMs: this.o.failureBackoffMs ?? 10_000, maxMs: 300_000 });
    this.failing.set(orgId, { count, until: Date.now() + delay });
    this.o.logger.warn(
      { orgId, failures: count, pauseMs: delay },
      'warm tasks fail before serving; pausing the pool',
    );
    setTimeout(() => void this.topUp(orgId), delay).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled(this.topping.values());
    // The driver stops the tasks; their rows go now so no launch is offered to them meanwhile.
    await Promise.allSettled([...this.mine.values()].map((t) => this.o.store.remove(t.orgId, t.warmId)));
  }
}
