'use client';
/**
 * Subscribes to the project's SSE stream. EventSource reconnects by itself (sending
 * Last-Event-ID); if the server ends the stream or refuses it, we reopen with the last id we saw
 * after a short backoff. No polling: the server pushes.
 */
import { StreamMessage } from '@omakase/api-contract';
import { backoffMs } from '@omakase/domain';
import { useEffect, useRef, useState } from 'react';
import { routeUrl } from './api';

const MESSAGE_TYPES = ['project', 'feature', 'feature-deleted', 'run', 'thought', 'resync'] as const;

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export function useProjectStream(
  projectId: string,
  initialCursor: string,
  onMessage: (message: StreamMessage) => void,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let lastId = initialCursor;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const open = () => {
      const url = routeUrl('streamProject', { params: { projectId }, query: { lastEventId: lastId } });
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => {
        attempt = 0;
        setStatus('live');
      };
      const listener = (event: MessageEvent<string>) => {
        if (event.lastEventId) lastId = event.lastEventId;
        const parsed = StreamMessage.safeParse(JSON.parse(event.data));
        if (parsed.success) handler.current(parsed.data);
      };
      for (const type of MESSAGE_TYPES) source.addEventListener(type, listener as EventListener);
      source.onerror = () => {
        if (stopped) return;
        setStatus('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          attempt += 1;
          retry = setTimeout(open, backoffMs(attempt, { baseMs: 1_000, maxMs: 10_000 }));
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [projectId, initialCursor]);

  return status;
}
