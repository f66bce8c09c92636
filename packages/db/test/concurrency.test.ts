import { describe, expect, it } from 'vitest';
import { newOrg, newProject, useStorage } from './helpers';

const { storage } = await useStorage();

describe('under concurrency', () => {
  it('allocates distinct, consecutive feature keys to concurrent creators', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'KEY');
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => org.features.create(projectId, { title: `f${i}` })),
    );
    const numbers = created.map((f) => Number(f.key.split('-')[1])).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('gives 10 concurrent appenders a gap-free event sequence', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'SEQ');
    const feature = await org.features.create(projectId, { title: 'f' });
    const run = await org.runs.create({ featureId: feature.id, role: 'coder' });
    const batches = await Promise.all(
      Array.from({ length: 10 }, (_, appender) =>
        Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            org.events.append(run.id, [
              { type: 'output', payload: { appender, i, part: 0 } },
              { type: 'output', payload: { appender, i, part: 1 } },
            ]),
          ),
        ),
      ),
    );
    // Each append's events are consecutive...
    for (const batch of batches.flat()) expect(batch[1]!.seq).toBe(batch[0]!.seq + 1);
    // ...and all of them together are exactly 1..100.
    const stored = await org.events.list(run.id);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
