import { machineRoutes } from '@omakase/api-contract';
import { recordRunnerResult } from '@/server/runner-api';
import { withRun } from '@/server/with-run';

/** Runner: its final, structured result (run token). Recorded once. */
export const POST = withRun(machineRoutes.recordRunResult, (caller) =>
  recordRunnerResult(caller, caller.body),
);
