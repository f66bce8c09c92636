import { machineRoutes } from '@omakase/api-contract';
import { runCredentials } from '@/server/runner-api';
import { withRun } from '@/server/with-run';

/** Runner on a host that cannot receive the org's key as environment (ECS): fetch it (run token). */
export const GET = withRun(machineRoutes.getRunCredentials, (caller) => runCredentials(caller));
