/**
 * Agents without agents: a NullDriver whose every run immediately "finishes" by recording a
 * scripted result through the same `recordRunResult` the runner API uses, then exits. The
 * orchestrator, engine and database are real; only the agent's work is skipped.
 */
import type { AgentRun, Storage } from '@omakase/domain';
import { type ReportedRunResult, recordRunResult } from '@omakase/engine';
import { NullDriver } from '../src/compute/null-driver';

export type Script = (run: Pick<AgentRun, 'role'>) => ReportedRunResult;

const ok = (output: Record<string, unknown>): ReportedRunResult => ({
  outcome: 'succeeded',
  output,
  tokensIn: 100,
  tokensOut: 50,
  costUsd: 0.001,
  exitReason: 'submitted',
});

/** Every stage succeeds first time: plan, code, APPROVE, tests pass. */
export const happyScript: Script = (run) => {
  switch (run.role) {
    case 'setup':
      return ok({ setup: null, environment: null, baseline: null });
    case 'architect':
      return ok({ summary: 'plan', files: ['src/a.ts'], steps: ['change a'], risks: [] });
    case 'coder':
      return ok({ summary: 'implemented' });
    case 'reviewer':
      return ok({ verdict: 'APPROVE', comments: [] });
    case 'tester':
      return ok({ passed: true, total: 1, failed: 0, failures: [] });
  }
};

export function scriptedDriver(storage: Storage, script: Script = happyScript): NullDriver {
  const driver: NullDriver = new NullDriver((spec, handle) => {
    void (async () => {
      await recordRunResult(storage.forOrg(spec.orgId), spec.runId, script(spec));
      driver.finish(handle, 0);
    })().catch(() => driver.finish(handle, 1));
  });
  return driver;
}
