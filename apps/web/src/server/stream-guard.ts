/**
 * Long-lived SSE responses stay authorised while they are open, not just when they connect:
 * each one is re-authorised (same checks as a new request) when a membership of its org changes
 * (the change feed's `member` notifications) and on a timer as a backstop, ends after a maximum
 * lifetime (the browser's EventSource then reconnects with Last-Event-ID and authenticates
 * anew), and each user holds at most STREAM_MAX_PER_USER of them in this process (429 beyond).
 */
import type { ApiAction } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import type { OrgId } from '@omakase/domain';
import { ApiError } from './api-error';
import { type Caller, resolveCaller } from './caller';
import { env } from './env';
import { logger } from './logger';
import { assertAllowed } from './policy';
import { storage } from './storage';

export type StreamEndReason = 'revoked' | 'lifetime';

interface OpenStream {
  orgId: OrgId;
  reauthorize(): void;
}

const byOrg = new Map<OrgId, Set<OpenStream>>();
const perUser = new Map<string, number>();
let memberFeed: Promise<unknown> | undefined;

/** One LISTEN subscription per process: membership changes re-check that org's open streams. */
function ensureMemberFeed(): Promise<unknown> {
  memberFeed ??= storage()
    .changes.subscribe((change) => {
      if (change.entity !== 'member') return;
      for (const stream of byOrg.get(change.orgId) ?? []) stream.reauthorize();
    })
    .catch((error) => {
      memberFeed = undefined;
      logger.error({ err: error }, 'streams: membership change feed subscription failed');
    });
  return memberFeed;
}

/** For tests: open streams per user key in this process. */
export function openStreamsOf(subject: string): number {
  return perUser.get(subject) ?? 0;
}

/**
 * Opens `open(signal)` as a guarded stream for `caller`. The signal aborts when the client goes
 * away, when re-authorisation fails (`revoked`) or at the lifetime (`lifetime`); the body then
 * ends with an `end` event naming the reason.
 */
export async function guardedStream(opts: {
  request: Request;
  caller: Caller;
  action: ApiAction;
  open: (signal: AbortSignal) => ReadableStream<Uint8Array>;
}): Promise<ReadableStream<Uint8Array>> {
  const { request, caller, action } = opts;
  const limits = env();
  const userKey = caller.principal.subject;
  const held = perUser.get(userKey) ?? 0;
  if (held >= limits.STREAM_MAX_PER_USER) {
    throw new ApiError(
      'rate_limited',
      `too many open streams: at most ${limits.STREAM_MAX_PER_USER} per user; close one first`,
    );
  }
  perUser.set(userKey, held + 1);
  const ended = new AbortController();
  const end = (reason: StreamEndReason) => {
    if (!ended.signal.aborted) ended.abort(reason);
  };
  // One re-check at a time per stream; a change arriving meanwhile gets one more after it (the
  // running check may have read the membership before that change committed).
  let checkInFlight = false;
  let checkAgain = false;
  const stream: OpenStream = {
    orgId: caller.organization.id,
    reauthorize() {
      if (checkInFlight) {
        checkAgain = true;
        return;
      }
      checkInFlight = true;
      void (async () => {
        try {
          const now = await resolveCaller(request);
          if (now.organization.id !== caller.organization.id)
            throw new ApiError('forbidden', 'organisation changed');
          assertAllowed(now.role, action);
        } catch (error) {
          if (!(error instanceof ApiError) && !(error instanceof AuthError)) {
            logger.warn({ err: error }, 'streams: re-authorisation failed; closing the stream');
          }
          end('revoked');
        } finally {
          checkInFlight = false;
          if (checkAgain && !ended.signal.aborted) {
            checkAgain = false;
            stream.reauthorize();
          }
        }
      })();
    },
  };
  const org = byOrg.get(stream.orgId) ?? new Set<OpenStream>();
  byOrg.set(stream.orgId, org);
  org.add(stream);
  const lifetime = setTimeout(() => end('lifetime'), limits.STREAM_MAX_LIFETIME_MS);
  const backstop = setInterval(() => stream.reauthorize(), limits.STREAM_REAUTHORIZE_MS);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearTimeout(lifetime);
    clearInterval(backstop);
    org.delete(stream);
    if (org.size === 0) byOrg.delete(stream.orgId);
    const left = (perUser.get(userKey) ?? 1) - 1;
    if (left > 0) perUser.set(userKey, left);
    else perUser.delete(userKey);
  };
  try {
    await ensureMemberFeed();
  } catch {
    // logged by the feed; the timer backstop still re-authorises
  }
  const inner = opts.open(AbortSignal.any([request.signal, ended.signal])).getReader();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await inner.read();
        if (!done) return controller.enqueue(value);
      } catch {
        // the inner stream failed: end this one too
      }
      if (ended.signal.aborted)
        controller.enqueue(encoder.encode(`event: end\ndata: {"reason":"${ended.signal.reason}"}\n\n`));
      release();
      controller.close();
    },
    async cancel(reason) {
      release();
      await inner.cancel(reason);
    },
  });
}
