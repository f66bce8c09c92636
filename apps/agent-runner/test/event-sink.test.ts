import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunnerEvent } from '@omakase/api-contract';
import { describe, expect, it } from 'vitest';
import { EventSink, PlatformClient, PlatformError } from '../src/index';
import { MAX_RETRY_WAIT_MS } from '../src/platform-client';

it('delivers events in order, in batches, retrying transient failures without loss', async () => {
  const received: RunnerEvent[] = [];
  const batchSizes: number[] = [];
  let failures = 3;
  const sink = new EventSink({
    maxBatch: 5,
    flushIntervalMs: 10,
    send: async (events) => {
      if (failures-- > 0) throw new PlatformError('PLATFORM_REJECTED', 'busy', 503);
      batchSizes.push(events.length);
      received.push(...events);
    },
  });
  for (let index = 0; index < 23; index += 1) sink.emit('thought', { index });
  await sink.close(10_000);
  expect(received.map((event) => event.payload.index)).toEqual([...Array(23).keys()]);
  expect(received.map((event) => event.seq)).toEqual([...Array(23).keys()].map((index) => index + 1));
  expect(Math.max(...batchSizes)).toBeLessThanOrEqual(5);
});

it('reports, rather than hides, events it could not deliver before the deadline', async () => {
  const dropped: number[] = [];
  const sink = new EventSink({
    send: async () => {
      throw new PlatformError('PLATFORM_UNREACHABLE', 'down');
    },
    onDropped: (count) => dropped.push(count),
  });
  sink.emit('thought', { text: 'a' });
  sink.emit('thought', { text: 'b' });
  await sink.close(300);
  expect(dropped).toEqual([2]);
});

/**
 * A real HTTP server in the platform's place: it answers each POST /events with what `respond`
 * returns for the batch (status, error body, headers) and keeps the seqs it accepted.
 */
interface Answer {
  status: number;
  error?: { code: string; message: string; field?: string };
  headers?: Record<string, string>;
}
async function fakePlatform(respond: (events: RunnerEvent[], request: number) => Answer) {
  const accepted: RunnerEvent[] = [];
  const requests: number[][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const events = (JSON.parse(body) as { events: RunnerEvent[] }).events;
      requests.push(events.map((event) => event.seq));
      const answer = respond(events, requests.length);
      if (answer.status === 200) accepted.push(...events);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.error ? { error: answer.error } : { accepted: events.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new PlatformClient(`http://127.0.0.1:${port}`, 'run_01test', 'run-token-for-the-test');
  return { client, accepted, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Retries wait through this: the wait asked for is recorded and the retry goes at once. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('against the platform over HTTP', () => {
  it('waits what a 429 Retry-After asks (bounded), then delivers every event in order', async () => {
    const platform = await fakePlatform((_events, request) =>
      request === 2 || request === 3
        ? {
            status: 429,
            error: { code: 'rate_limited', message: 'too many run events; retry in 2 s' },
            headers: { 'retry-after': '2' },
          }
        : request === 5
          ? {
              status: 429,
              error: { code: 'rate_limited', message: 'slow down' },
              headers: { 'retry-after': '3600' },
            }
          : { status: 200 },
    );
    const { waits, sleep } = recordingSleep();
    const dropped: number[] = [];
    const sink = new EventSink({
      maxBatch: 4,
      send: (events) => platform.client.postEvents(events),
      sleep,
      onDropped: (count) => dropped.push(count),
    });
    for (let index = 0; index < 14; index += 1) sink.emit('output', { line: `line ${index}` });
    await sink.close(120_000);
    await platform.close();

    expect(platform.accepted.map((event) => event.seq)).toEqual([...Array(14).keys()].map((i) => i + 1));
    expect(platform.accepted.map((event) => event.payload.line)).toEqual(
      [...Array(14).keys()].map((i) => `line ${i}`),
    );
    // The refused batch is sent again, unchanged, before anything after it.
    expect(platform.requests[1]).toEqual(platform.requests[2]);
    expect(platform.requests[2]).toEqual(platform.requests[3]);
    expect(waits).toEqual([2_000, 2_000, MAX_RETRY_WAIT_MS]);
    expect(dropped).toEqual([]);
  });

  it('stops sending once the log is full, says so once, and counts what it kept back', async () => {
    const platform = await fakePlatform((_events, request) =>
      request <= 2
        ? { status: 200 }
        : {
            status: 413,
            error: {
              code: 'run_log_full',
              message: "the run's log is full (12 events per run, RUN_EVENTS_MAX_PER_RUN)",
            },
          },
    );
    const full: string[] = [];
    const dropped: number[] = [];
    const sink = new EventSink({
      maxBatch: 5,
      send: (events) => platform.client.postEvents(events),
      sleep: recordingSleep().sleep,
      onLogFull: (error) => full.push(error.message),
      onDropped: (count) => dropped.push(count),
    });
    for (let index = 0; index < 17; index += 1) sink.emit('output', { line: `line ${index}` });
    await sink.flush();
    for (let index = 0; index < 3; index += 1) sink.emit('output', { line: `late ${index}` });
    await sink.close(10_000);
    await platform.close();

    expect(platform.requests).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12, 13, 14, 15],
    ]);
    expect(full).toHaveLength(1);
    expect(full[0]).toContain('run_log_full');
    expect(full[0]).toContain('RUN_EVENTS_MAX_PER_RUN');
    expect(sink.logFull).toBe(true);
    expect(sink.discarded).toBe(2 + 5 + 3);
    expect(dropped).toEqual([]);
  });

  it('replaces a payload the platform refuses as too large by a preview, keeping its neighbours', async () => {
    const platform = await fakePlatform((events) =>
      events.some((event) => String(event.payload.text ?? '').length > 500)
        ? {
            status: 413,
            error: {
              code: 'payload_too_large',
              message: 'too large',
              field: `events.${events.findIndex((event) => String(event.payload.text ?? '').length > 500)}.payload`,
            },
          }
        : { status: 200 },
    );
    const sink = new EventSink({
      send: (events) => platform.client.postEvents(events),
      sleep: recordingSleep().sleep,
      // Larger than the platform's cap here: the platform's 413 is what catches it.
      maxEventBytes: 10_000,
    });
    sink.emit('thought', { text: 'before' });
    sink.emit('thought', { text: 'x'.repeat(2_000) });
    sink.emit('thought', { text: 'after' });
    await sink.close(10_000);
    await platform.close();

    expect(platform.accepted.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(platform.accepted[1]!.payload).toMatchObject({ omitted: true });
    expect(String(platform.accepted[1]!.payload.preview).length).toBeLessThanOrEqual(1024);
    expect(platform.accepted.map((event) => event.payload.text)).toEqual(['before', undefined, 'after']);
  });

  it('never sends a payload above its own per-event cap', async () => {
    const platform = await fakePlatform(() => ({ status: 200 }));
    const sink = new EventSink({
      send: (events) => platform.client.postEvents(events),
      maxEventBytes: 1_000,
    });
    sink.emit('output', { line: 'y'.repeat(5_000) });
    await sink.close(10_000);
    await platform.close();
    expect(platform.accepted[0]!.payload).toMatchObject({
      omitted: true,
      reason: 'payload of 5011 bytes exceeds 1000',
    });
  });
});
