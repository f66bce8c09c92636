import { machineRoutes, RunEventsQuery, routes } from '@omakase/api-contract';
import { fromZodError, notFound } from '@/server/api-error';
import { env } from '@/server/env';
import { toRunEventDto } from '@/server/pipeline-dto';
import { runEventsStream } from '@/server/run-events-stream';
import { appendRunnerEvents } from '@/server/runner-api';
import { guardedStream } from '@/server/stream-guard';
import { withApi } from '@/server/with-api';
import { withRun } from '@/server/with-run';

export const dynamic = 'force-dynamic';

/** Members read a run's log: a JSON page, or a live SSE stream with `Accept: text/event-stream`. */
export const GET = withApi(routes.listRunEvents, async ({ request, caller, store, params }) => {
  const run = await store.runs.get(params.runId);
  if (!run) throw notFound('run');
  const query = RunEventsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw fromZodError(query.error);
  if (request.headers.get('accept')?.includes('text/event-stream')) {
    const body = await guardedStream({
      request,
      caller,
      action: routes.listRunEvents.action,
      open: (signal) => runEventsStream(request, store, run, query.data.afterSeq, signal),
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    });
  }
  const events = await store.events.list(run.id, query.data);
  return { events: events.map(toRunEventDto), nextAfterSeq: events.at(-1)?.seq ?? query.data.afterSeq };
});

/** The run's own runner appends events (run token), within the per-run limits. */
export const POST = withRun(
  machineRoutes.appendRunEvents,
  (caller) => appendRunnerEvents(caller, caller.body),
  { maxBodyBytes: () => env().RUN_EVENT_BATCH_MAX_BYTES },
);
