/**
 * Live streams stay authorised while open: a member removed while connected has the project
 * stream and the run-events stream closed promptly (the change feed's membership notification,
 * no polling), and each user holds a bounded number of streams (429 beyond). Real route handlers,
 * real Postgres LISTEN/NOTIFY; each test waits for the stream's own end, never a timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as memberRoute from '@/app/api/v1/members/[memberId]/route';
import * as streamRoute from '@/app/api/v1/projects/[projectId]/stream/route';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import { openStreamsOf } from '@/server/stream-guard';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack();
  process.env.STREAM_MAX_PER_USER = '3';
  for (const who of ['owner', 'admin', 'member', 'viewer'])
    t[who] = await userToken(stack.issuer.url, `${who}@demo.local`, APP_BASE_URL);
});
afterAll(() => stack?.stop());

const projectStream = (token: string) =>
  streamRoute.GET(
    new Request(new URL(`/api/v1/projects/${stack.seeded.shop.id}/stream`, APP_BASE_URL), {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    }),
    { params: Promise.resolve({ projectId: stack.seeded.shop.id }) },
  );

/** Reads until the body has delivered `marker` (or ended); answers everything read. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string | null) {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, done: true };
    text += decoder.decode(value, { stream: true });
    if (marker && text.includes(marker)) return { text, done: false };
  }
}

async function removeMember(userId: string) {
  const member = (await stack.storage.forOrg(stack.seeded.shop.orgId).members.list()).find(
    (m) => m.userId === userId,
  )!;
  const removed = await call(memberRoute.DELETE, `DELETE /api/v1/members/${member.id}`, {
    token: t.owner,
    params: { memberId: member.id },
  });
  expect(removed.status).toBe(204);
}

describe('open streams are re-authorised', () => {
  it("closes a removed member's project stream and run-events stream", async () => {
    const project = await projectStream(t.member!);
    expect(project.status).toBe(200);
    const run = await stack.storage
      .forOrg(stack.seeded.shop.orgId)
      .runs.create({ featureId: stack.seeded.shopFeatures[0]!.id, role: 'coder' });
    const events = await runEventsRoute.GET(
      new Request(new URL(`/api/v1/runs/${run.id}/events`, APP_BASE_URL), {
        headers: { authorization: `Bearer ${t.member}`, accept: 'text/event-stream' },
      }),
      { params: Promise.resolve({ runId: run.id }) },
    );
    expect(events.status).toBe(200);
    const readers = [project.body!.getReader(), events.body!.getReader()];
    for (const reader of readers) expect((await readUntil(reader, 'retry:')).done).toBe(false);
    expect(openStreamsOf('local|member')).toBe(2);

    await removeMember('local|member');

    for (const reader of readers) {
      const rest = await readUntil(reader, null);
      expect(rest.done).toBe(true);
      expect(rest.text).toContain('event: end\ndata: {"reason":"revoked"}');
    }
    expect(openStreamsOf('local|member')).toBe(0);
    // Reconnecting is refused.
    expect((await projectStream(t.member!)).status).toBe(403);
  });

  it('keeps the streams of members who were not removed', async () => {
    const stream = await projectStream(t.admin!);
    const reader = stream.body!.getReader();
    await readUntil(reader, 'retry:');
    await removeMember('local|viewer');
    // The admin's stream was re-checked and stays open: a message still arrives on it.
    await stack.storage
      .forOrg(stack.seeded.shop.orgId)
      .projects.update(stack.seeded.shop.id, { name: 'renamed' });
    expect((await readUntil(reader, 'event: project')).done).toBe(false);
    await reader.cancel();
    expect(openStreamsOf('local|admin')).toBe(0);
  });
});

describe('streams per user', () => {
  it('answers 429 beyond the cap, and a closed stream frees its place', async () => {
    const open = await Promise.all([1, 2, 3].map(() => projectStream(t.owner!)));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200]);
    const refused = await projectStream(t.owner!);
    expectError({ status: refused.status, json: await refused.json() }, 429, 'rate_limited');
    await open[0]!.body!.cancel();
    const again = await projectStream(t.owner!);
    expect(again.status).toBe(200);
    for (const response of [...open.slice(1), again]) await response.body!.cancel();
    expect(openStreamsOf('local|owner')).toBe(0);
  });
});
