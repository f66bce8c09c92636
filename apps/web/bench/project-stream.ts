/**
 * 200 SSE subscribers of one project (the real hub and SSE bodies the route serves, in process)
 * under a steady stream of feature writes: write → message-received latency per subscriber.
 */
import { createStorage } from '@omakase/db';
import { percentile, withBenchDatabase } from '@omakase/db/testing';

export async function benchProjectStream(
  opts: { subscribers?: number; writes?: number; perSecond?: number } = {},
) {
  const { subscribers = 200, writes = 200, perSecond = 50 } = opts;
  return withBenchDatabase(undefined, async (databaseUrl) => {
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      AUTH0_DOMAIN: 'http://localhost:1',
      AUTH0_CLIENT_ID: 'bench',
      AUTH0_CLIENT_SECRET: 'bench',
      AUTH0_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      APP_BASE_URL: 'http://localhost:3000',
      LOG_LEVEL: 'warn',
    });
    const { openProjectStream, hubStats } = await import('../src/server/dashboard/project-hub');
    const { storage: hubStorage } = await import('../src/server/storage');
    const writer = createStorage(databaseUrl);
    const abort = new AbortController();
    try {
      const org = await writer.organizations.create({ name: 'bench', externalId: `bench-${Date.now()}` });
      const store = writer.forOrg(org.id);
      const project = await store.projects.create({
        name: 'p',
        keyPrefix: 'SSE',
        repositoryUrl: 'file:///tmp/x',
      });
      const feature = await store.features.create(project.id, { title: 'sent=0' });
      const latencies: number[] = [];
      let received = 0;
      let allReceived: () => void = () => {};
      const done = new Promise<void>((r) => (allReceived = r));
      const decoder = new TextDecoder();
      await Promise.all(
        Array.from({ length: subscribers }, async () => {
          const reader = openProjectStream({
            orgId: org.id,
            projectId: project.id,
            lastEventId: null,
            signal: abort.signal,
          }).getReader();
          void (async () => {
            let buffer = '';
            for (;;) {
              const { value, done: ended } = await reader.read();
              if (ended) return;
              buffer += decoder.decode(value, { stream: true });
              let cut = buffer.indexOf('\n\n');
              while (cut >= 0) {
                const match = /"title":"sent=([\d.]+)"/.exec(buffer.slice(0, cut));
                if (match && Number(match[1]) > 0) {
                  latencies.push(performance.now() - Number(match[1]));
                  if (++received === subscribers * writes) allReceived();
                }
                buffer = buffer.slice(cut + 2);
                cut = buffer.indexOf('\n\n');
              }
            }
          })();
        }),
      );
      // A stream attaches its subscriber after its LISTEN is up; writes before that are not theirs.
      const attached = () => hubStats().find((c) => c.projectId === project.id)?.subscribers ?? 0;
      while (attached() < subscribers) await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < writes; i++) {
        const due = performance.now() + 1000 / perSecond;
        await store.features.update(feature.id, { title: `sent=${performance.now()}` });
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
      latencies.sort((a, b) => a - b);
      return {
        subscribers,
        writes,
        delivered: received,
        expected: subscribers * writes,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
      };
    } finally {
      abort.abort();
      await writer.close();
      await hubStorage().close();
    }
  });
}
