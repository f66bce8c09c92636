/**
 * Fan-out of one project's changes to its SSE subscribers. The process holds ONE change-feed
 * subscription (Postgres LISTEN); each change is resolved to a DTO once per project channel (not
 * once per subscriber) with the org's tenant store, numbered, kept in a short replay buffer and
 * written to every subscriber. Subscribers are authorised when they connect and re-authorised
 * while open (stream-guard.ts: membership changes, a timer, a maximum lifetime).
 *
 * Event ids are `<epoch>.<seq>`: a client resuming with an id from this process and still in the
 * buffer gets exactly what it missed; anything else gets a `resync` message (re-read the board).
 */
import type { StreamMessage } from '@omakase/api-contract';
import type { Change, FeatureId, OrgId, ProjectId, RunId } from '@omakase/domain';
import { logger } from '../logger';
import { toFeatureDto, toProjectDto } from '../serialize';
import { storage } from '../storage';
import { toRunSummaryDto, toThoughtDto } from './board';

const BUFFER = 1000;
const IDLE_CHANNEL_MS = 60_000;
const MAX_QUEUED_BYTES = 1_000_000;
const EPOCH = Date.now().toString(36);

type Send = (text: string) => boolean;

interface Channel {
  orgId: OrgId;
  projectId: ProjectId;
  seq: number;
  buffer: { seq: number; text: string }[];
  subscribers: Set<Send>;
  /** Serialises resolution so messages keep the order of the changes. */
  queue: Promise<void>;
  lastThoughtSeq: Map<string, number>;
  idleTimer?: NodeJS.Timeout;
}

const channels = new Map<string, Channel>();
let feed: Promise<unknown> | undefined;

const keyOf = (orgId: OrgId, projectId: ProjectId) => `${orgId}:${projectId}`;

function ensureFeed() {
  feed ??= storage()
    .changes.subscribe(onChange)
    .catch((error) => {
      feed = undefined;
      logger.error({ err: error }, 'project stream: change feed subscription failed');
    });
  return feed;
}

function channelFor(orgId: OrgId, projectId: ProjectId): Channel {
  const key = keyOf(orgId, projectId);
  let channel = channels.get(key);
  if (!channel) {
    channel = {
      orgId,
      projectId,
      seq: 0,
      buffer: [],
      subscribers: new Set(),
      queue: Promise.resolve(),
      lastThoughtSeq: new Map(),
    };
    channels.set(key, channel);
    scheduleIdleCheck(channel);
  }
  return channel;
}

function scheduleIdleCheck(channel: Channel) {
  clearTimeout(channel.idleTimer);
  channel.idleTimer = setTimeout(() => {
    if (channel.subscribers.size === 0) channels.delete(keyOf(channel.orgId, channel.projectId));
  }, IDLE_CHANNEL_MS);
  channel.idleTimer.unref?.();
}

/** The id to resume from for a page rendered now: changes after this moment are replayed. */
export async function projectCursor(orgId: OrgId, projectId: ProjectId): Promise<string> {
  await ensureFeed();
  const channel = channelFor(orgId, projectId);
  return `${EPOCH}.${channel.seq}`;
}

function onChange(change: Change) {
  const channel = change.projectId ? channels.get(keyOf(change.orgId, change.projectId)) : undefined;
  if (!channel) return;
  channel.queue = channel.queue
    .then(() => resolveMessage(channel, change))
    .then((message) => {
      if (message) publish(channel, message);
    })
    .catch((error) => logger.warn({ err: error, change }, 'project stream: change not delivered'));
}

async function resolveMessage(channel: Channel, change: Change): Promise<StreamMessage | null> {
  const store = storage().forOrg(channel.orgId);
  switch (change.entity) {
    case 'project': {
      const project = await store.projects.get(channel.projectId);
      return project ? { type: 'project', project: toProjectDto(project) } : null;
    }
    case 'feature': {
      const feature = await store.features.get(change.id as FeatureId);
      if (feature && feature.projectId !== channel.projectId) return null;
      return feature
        ? { type: 'feature', feature: toFeatureDto(feature) }
        : { type: 'feature-deleted', id: change.id };
    }
    case 'run': {
      const run = await store.runs.get(change.id as RunId);
      if (!run || run.projectId !== channel.projectId) return null;
      const cost = await store.runs.costByFeature(run.featureId);
      return { type: 'run', run: toRunSummaryDto(run), featureCostUsd: cost.costUsd };
    }
    case 'event': {
      const runId = change.id as RunId;
      const latest = (await store.events.latestOfType([runId], 'thought')).get(runId);
      if (!latest || latest.seq <= (channel.lastThoughtSeq.get(runId) ?? 0)) return null;
      channel.lastThoughtSeq.set(runId, latest.seq);
      const run = await store.runs.get(runId);
      if (!run || run.projectId !== channel.projectId) return null;
      return { type: 'thought', featureId: run.featureId, thought: toThoughtDto(latest) };
    }
    default:
      return null;
  }
}

function publish(channel: Channel, message: StreamMessage) {
  channel.seq += 1;
  const text = `id: ${EPOCH}.${channel.seq}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;
  channel.buffer.push({ seq: channel.seq, text });
  if (channel.buffer.length > BUFFER) channel.buffer.shift();
  for (const send of channel.subscribers) send(text);
}

/** The replay for a resuming client, or null when it must resync. */
function replayFor(channel: Channel, lastEventId: string | null): string[] | null {
  if (!lastEventId) return [];
  const [epoch, raw] = lastEventId.split('.');
  const seq = Number(raw);
  if (epoch !== EPOCH || !Number.isInteger(seq) || seq > channel.seq) return null;
  const oldest = channel.buffer[0]?.seq ?? channel.seq + 1;
  if (seq < oldest - 1) return null;
  return channel.buffer.filter((m) => m.seq > seq).map((m) => m.text);
}

const KEEPALIVE_MS = 15_000;

/** An SSE body for one authorised subscriber of the project. */
export function openProjectStream(opts: {
  orgId: OrgId;
  projectId: ProjectId;
  lastEventId: string | null;
  signal: AbortSignal;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      await ensureFeed();
      const channel = channelFor(opts.orgId, opts.projectId);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        channel.subscribers.delete(send);
        clearInterval(keepalive);
        if (channel.subscribers.size === 0) scheduleIdleCheck(channel);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const send: Send = (text) => {
        if (closed) return false;
        // A subscriber that stopped reading is dropped; it resumes from its last id.
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
          close();
          return false;
        }
        controller.enqueue(encoder.encode(text));
        return true;
      };
      cleanup = close;
      const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
      opts.signal.addEventListener('abort', close);
      if (opts.signal.aborted) return close();
      send('retry: 1000\n\n');
      // Wait for in-flight changes so the replay and the live messages neither overlap nor gap.
      await channel.queue;
      if (closed) return; // ended (revoked, client gone) while waiting: never subscribed
      const replay = replayFor(channel, opts.lastEventId);
      if (replay === null) {
        send(`id: ${EPOCH}.${channel.seq}\nevent: resync\ndata: {"type":"resync"}\n\n`);
      } else {
        for (const text of replay) send(text);
      }
      channel.subscribers.add(send);
      clearTimeout(channel.idleTimer);
    },
    cancel() {
      cleanup();
    },
  });
}

/** For tests and benchmarks: subscribers per channel. */
export function hubStats() {
  return [...channels.values()].map((c) => ({ projectId: c.projectId, subscribers: c.subscribers.size }));
}
