/**
 * Server-Sent Events of one run's log: replays what the client has not seen (`Last-Event-ID` or
 * `afterSeq`), then pushes new events as Postgres NOTIFY announces them — no polling. Ends after
 * the run has finished and its last event was sent.
 */
import type { AgentRun, RunId, TenantStore } from '@omakase/domain';
import { toRunEventDto } from './pipeline-dto';
import { storage } from './storage';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
const KEEPALIVE_MS = 15_000;

export function runEventsStream(request: Request, store: TenantStore, run: AgentRun, afterSeq: number) {
  const encoder = new TextEncoder();
  let lastSeq = Math.max(afterSeq, Number(request.headers.get('last-event-id') ?? 0) || 0);
  let closed = false;
  let pumping: Promise<void> = Promise.resolve();
  let unsubscribe: (() => Promise<void>) | undefined;
  let keepalive: NodeJS.Timeout | undefined;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepalive);
        void unsubscribe?.();
        controller.close();
      };
      // Serialised so events go out once and in order however many notifications arrive.
      const pump = () => {
        pumping = pumping.then(async () => {
          if (closed) return;
          for (;;) {
            const page = await store.events.list(run.id as RunId, { afterSeq: lastSeq, limit: 500 });
            for (const event of page) {
              send(`id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(toRunEventDto(event))}\n\n`);
              lastSeq = event.seq;
            }
            if (page.length < 500) break;
          }
          const current = await store.runs.get(run.id);
          if (current && FINISHED.has(current.status)) {
            send(`event: run-finished\ndata: ${JSON.stringify({ status: current.status })}\n\n`);
            close();
          }
        });
        pumping.catch(() => close());
      };
      request.signal.addEventListener('abort', close);
      send('retry: 1000\n\n');
      unsubscribe = await storage().changes.subscribe((change) => {
        if (change.orgId !== store.orgId || change.id !== run.id) return;
        if (change.entity === 'event' || change.entity === 'run') pump();
      });
      keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
      pump();
    },
    cancel() {
      closed = true;
      clearInterval(keepalive);
      void unsubscribe?.();
    },
  });
}
