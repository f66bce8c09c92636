import { routes } from '@omakase/api-contract';
import { openProjectStream } from '@/server/dashboard/project-hub';
import { requireProject } from '@/server/services';
import { guardedStream } from '@/server/stream-guard';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

/** Live project changes for one subscriber, re-authorised while open (stream-guard.ts); resumes from `Last-Event-ID` (or `?lastEventId=`). */
export const GET = withApi(routes.streamProject, async ({ request, caller, store, params }) => {
  await requireProject(store, params.projectId);
  const lastEventId =
    request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
  const body = await guardedStream({
    request,
    caller,
    action: routes.streamProject.action,
    open: (signal) =>
      openProjectStream({
        orgId: caller.organization.id,
        projectId: params.projectId,
        lastEventId: lastEventId?.slice(0, 64) ?? null,
        signal,
      }),
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
});
