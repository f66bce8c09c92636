import { describe, expect, it } from 'vitest';
import { newOrg, newProject, useStorage } from './helpers';

const { storage } = await useStorage();

describe('board read models', () => {
  it('totals cost per feature of one project in one query, scoped to the org', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'BRD');
    const otherProject = await newProject(org, 'OTH');
    const a = await org.features.create(projectId, { title: 'a' });
    const b = await org.features.create(projectId, { title: 'b' });
    const idle = await org.features.create(projectId, { title: 'idle' });
    const elsewhere = await org.features.create(otherProject, { title: 'elsewhere' });
    const ra1 = await org.runs.create({ featureId: a.id, role: 'architect' });
    await org.runs.update(ra1.id, { costUsd: 0.25, tokensIn: 100, tokensOut: 10, computeSeconds: 1 });
    const ra2 = await org.runs.create({ featureId: a.id, role: 'coder' });
    await org.runs.update(ra2.id, { costUsd: 0.5, tokensIn: 50 });
    const rb = await org.runs.create({ featureId: b.id, role: 'architect' });
    await org.runs.update(rb.id, { costUsd: 1 });
    await org.runs.create({ featureId: elsewhere.id, role: 'coder' });

    const costs = await org.runs.costByFeatures(projectId);
    expect(costs.get(a.id)).toEqual({
      tokensIn: 150,
      tokensOut: 10,
      costUsd: 0.75,
      computeSeconds: 1,
      runs: 2,
    });
    expect(costs.get(b.id)).toMatchObject({ costUsd: 1, runs: 1 });
    expect(costs.has(idle.id)).toBe(false);
    expect(costs.has(elsewhere.id)).toBe(false);

    const stranger = await newOrg(storage);
    expect((await stranger.runs.costByFeatures(projectId)).size).toBe(0);
  });

  it('lists active runs of a project and the latest event of a type per run', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'ACT');
    const feature = await org.features.create(projectId, { title: 'f' });
    const done = await org.runs.create({ featureId: feature.id, role: 'architect' });
    await org.runs.update(done.id, { status: 'succeeded' });
    const running = await org.runs.create({ featureId: feature.id, role: 'coder' });
    await org.runs.update(running.id, { status: 'running' });
    const queued = await org.runs.create({ featureId: feature.id, role: 'reviewer' });

    expect((await org.runs.listActiveByProject(projectId)).map((r) => r.id)).toEqual([running.id, queued.id]);

    await org.events.append(running.id, [
      { type: 'thought', payload: { text: 'first' } },
      { type: 'tool_call', payload: { name: 'Write' } },
      { type: 'thought', payload: { text: 'second' } },
      { type: 'output', payload: { text: 'not a thought' } },
    ]);
    await org.events.append(done.id, [{ type: 'thought', payload: { text: 'plan' } }]);
    const latest = await org.events.latestOfType([running.id, done.id, queued.id], 'thought');
    expect(latest.get(running.id)?.payload).toEqual({ text: 'second' });
    expect(latest.get(done.id)?.payload).toEqual({ text: 'plan' });
    expect(latest.has(queued.id)).toBe(false);
    expect((await org.events.latestOfType([], 'thought')).size).toBe(0);
    const stranger = await newOrg(storage);
    expect((await stranger.events.latestOfType([running.id], 'thought')).size).toBe(0);
  });
});
