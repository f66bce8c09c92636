import { routes } from '@omakase/api-contract';
import { openProjectStream } from '@/server/dashboard/project-hub';
import { requireProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

/** Live project changes for one authorised subscriber; resumes from `Last-Event-ID` (or `?lastEventId=`). */
export const GET = withApi(routes.streamProject, async ({ request, caller, store, params }) => {
  await requireProject(store, params.projectId);
  const lastEventId =
    request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
  const body = openProjectStream({
    orgId: caller.organization.id,
    projectId: params.projectId,
    lastEventId: lastEventId?.slice(0, 64) ?? null,
    signal: request.signal,
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
