/**
 * Server-Sent Events of one run's log: replays what the client has not seen (`Last-Event-ID` or
 * `afterSeq`), then pushes new events as Postgres NOTIFY announces them — no polling. Ends after
 * the run has finished and its last event was sent, or when `signal` aborts (client gone, access
 * revoked, lifetime reached: see stream-guard.ts).
 */
import { MAX_SEQ } from '@omakase/api-contract';
import { type AgentRun, isFinishedRun, type RunId, type TenantStore } from '@omakase/domain';
import { toRunEventDto } from './pipeline-dto';
import { storage } from './storage';

const KEEPALIVE_MS = 15_000;

/** A `Last-Event-ID` is client text: a sequence number in range, else ignored. */
function resumeSeq(header: string | null): number {
  const seq = Number(header ?? 0);
  return Number.isInteger(seq) && seq >= 0 && seq <= MAX_SEQ ? seq : 0;
}

export function runEventsStream(
  request: Request,
  store: TenantStore,
  run: AgentRun,
  afterSeq: number,
  signal: AbortSignal = request.signal,
) {
  const encoder = new TextEncoder();
  let lastSeq = Math.max(afterSeq, resumeSeq(request.headers.get('last-event-id')));
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
        try {
          controller.close();
        } catch {
          // already cancelled by the reader
        }
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
          if (current && isFinishedRun(current)) {
            send(`event: run-finished\ndata: ${JSON.stringify({ status: current.status })}\n\n`);
            close();
          }
        });
        pumping.catch(() => close());
      };
      if (signal.aborted) return close();
      signal.addEventListener('abort', close);
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
