import type { RunEvent } from '@omakase/api-contract';
import { expect, it } from 'vitest';
import { EventSink, PlatformError } from '../src/index';

it('delivers events in order, in batches, retrying transient failures without loss', async () => {
  const received: RunEvent[] = [];
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
