import { machineRoutes } from '@omakase/api-contract';
import { runSpec } from '@/server/runner-api';
import { withRun } from '@/server/with-run';

/** Runner: what to do (run token). */
export const GET = withRun(machineRoutes.getRunSpec, (caller) => runSpec(caller));
