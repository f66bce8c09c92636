import { mintRunTokenFor } from '@/server/run-token-mint';

/** The orchestrator (M2M token with `runs:mint`): a run token for a run it is about to launch. */
export const POST = (
  request: Request,
  context: { params: Promise<Record<string, string | string[] | undefined>> },
) => mintRunTokenFor(request, context.params);
