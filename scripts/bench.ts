/**
 * `npm run bench`: runs every benchmark and prints its figures next to the target.
 * Pass names to run a subset: `npm run bench -- claims notify`.
 */

import { stopTestPostgres } from '@omakase/db/testing';
import { benchDemoPipeline } from '../apps/orchestrator/bench/demo-pipeline';
import { benchLinear } from '../apps/orchestrator/bench/linear';
import { benchNullPipeline } from '../apps/orchestrator/bench/null-pipeline';
import { benchPushFromMirror } from '../apps/orchestrator/bench/push-from-mirror';
import { benchReadyToStart } from '../apps/orchestrator/bench/ready-to-start';
import { benchSetupCache } from '../apps/orchestrator/bench/setup-cache';
import { benchEcsBurst, benchEcsOverhead } from '../apps/orchestrator/test/ecs/bench';
import { benchWarmStart } from '../apps/orchestrator/test/ecs/warm-bench';
import { benchAuthorisation } from '../apps/web/bench/authorisation';
import { benchDashboardBrowser } from '../apps/web/bench/board-browser';
import { benchGraphLayout } from '../apps/web/bench/graph-layout';
import { benchProjectStream } from '../apps/web/bench/project-stream';
import { benchClaims } from '../packages/db/bench/claims';
import { benchNotifyLatency } from '../packages/db/bench/notify-latency';
import { benchRateLimit } from '../packages/db/bench/rate-limit';
import { measureColdStart } from '../packages/devstack/bench/cold-start';

type Bench = { name: string; run: () => Promise<string> };

const fmt = (n: number, digits = 1) => n.toFixed(digits);

const benches: Bench[] = [
  {
    name: 'null-pipeline',
    run: async () => {
      const r = await benchNullPipeline();
      return `${r.features} features (DAG), capacity ${r.capacity}, null driver: ${fmt(r.transitionsPerSecond, 0)} transitions/s (${r.transitions} in ${fmt(r.seconds)} s), overhead per stage mean ${fmt(r.stageOverheadMeanMs, 0)} ms / p95 ${fmt(r.stageOverheadP95Ms, 0)} ms, (run created → started mean ${fmt(r.launchMeanMs, 0)} ms, finished → next created mean ${fmt(r.completionMeanMs, 0)} ms), lost or duplicated ${r.lostOrDuplicated} (target 0), database round trips per transition ${fmt(r.roundTripsPerTransition)}, CPU per transition: node ${fmt(r.nodeCpuMsPerTransition, 2)} ms, postgres ${fmt(r.postgresCpuMsPerTransition, 2)} ms`;
    },
  },
  {
    name: 'ready-to-start',
    run: async () => {
      const api = await benchReadyToStart({ runTokens: 'api' });
      const local = await benchReadyToStart({ runTokens: 'local' });
      return [
        `feature ready → agent process started (${api.sandboxed ? 'sandboxed' : 'unsandboxed'}), ${api.starts} starts`,
        `  run token from the API (M2M, deployed path): p50 ${fmt(api.p50Ms, 0)} ms, p95 ${fmt(api.p95Ms, 0)} ms (target < 250, ratio ${fmt(api.p95Ms / 250, 2)})`,
        `  run token signed in process: p50 ${fmt(local.p50Ms, 0)} ms, p95 ${fmt(local.p95Ms, 0)} ms (the API round trip adds p50 ${fmt(api.p50Ms - local.p50Ms, 1)} ms)`,
      ].join('\n');
    },
  },
  {
    name: 'setup-cache',
    run: async () => {
      const r = await benchSetupCache();
      const ratio = r.cachedMeanSeconds / r.coldSeconds;
      return [
        `setup of lukeed/dequal (npm install in the sandbox + baseline), then ${r.cachedFeatures} more features of the project`,
        `  cold ${fmt(r.coldSeconds, 2)} s (npm install ${fmt(r.coldInstallSeconds, 2)} s); cached mean ${fmt(r.cachedMeanSeconds, 3)} s, p95 ${fmt(r.cachedP95Seconds, 3)} s (restore ${fmt(r.restoreMeanMs, 0)} ms): ${fmt(ratio * 100, 1)} % of cold (target ≤ 10 %)`,
        `  feature ready → architect started, cached environment: p50 ${fmt(r.readyToArchitectP50Ms, 0)} ms, p95 ${fmt(r.readyToArchitectP95Ms, 0)} ms (target < 500, ratio ${fmt(r.readyToArchitectP95Ms / 500, 2)})`,
        `  setup runners started ${r.setupLaunches} of ${r.cachedFeatures + 1}; baseline runs saved ${r.baselineReuses} (reused instead of re-running the suite on the same base commit)`,
      ].join('\n');
    },
  },
  {
    name: 'push-from-mirror',
    run: async () => {
      const r = await benchPushFromMirror();
      return `${r.features} features, 300-file repository: workspace seeded from the mirror p50 ${fmt(r.seedP50Ms, 0)} ms / p95 ${fmt(r.seedP95Ms, 0)} ms; push from the mirror (harvest bundle + push with lease) p50 ${fmt(r.pushP50Ms, 0)} ms / p95 ${fmt(r.pushP95Ms, 0)} ms`;
    },
  },
  {
    name: 'demo-pipeline',
    run: async () => {
      const r = await benchDemoPipeline();
      const split = r.stages
        .map((s) => `${s.role} ${fmt(s.seconds)} s (start ${fmt(s.startupSeconds, 2)})`)
        .join(', ');
      return `one demo feature end to end: ${fmt(r.wallSeconds)} s — ${split}, push ${fmt(r.pushSeconds, 2)} s`;
    },
  },
  {
    name: 'graph-layout',
    run: async () => {
      const r = await benchGraphLayout();
      return `layout (dagre ≤ 300 nodes, layered above) + critical path, ${r.nodes} nodes / ${r.edges} edges: median ${fmt(r.medianMs)} ms, max ${fmt(r.maxMs)} ms (target < 500, ratio ${fmt(r.medianMs / 500, 2)})`;
    },
  },
  {
    name: 'board-1000',
    run: async () => {
      const r = await benchDashboardBrowser({ graph: false });
      return `board of ${r.features} features in Chromium, navigation → hydrated over ${r.loads} loads: p50 ${fmt(r.hydrationP50, 0)} ms, p95 ${fmt(r.hydrationP95, 0)} ms (target < 1000, ratio ${fmt(r.hydrationP95 / 1000, 2)}); server response p50 ${fmt(r.serverP50, 0)} ms, HTML ${fmt(r.htmlKb, 0)} KiB`;
    },
  },
  {
    name: 'graph-1000',
    run: async () => {
      const r = await benchDashboardBrowser({ board: false });
      return `graph of ${r.features} features in Chromium, navigation → visible nodes and the full MiniMap drawn: p50 ${fmt(r.graphP50, 0)} ms, p95 ${fmt(r.graphP95, 0)} ms; wheel zoom → viewport updated p50 ${fmt(r.zoomP50, 1)} ms`;
    },
  },
  {
    name: 'project-stream',
    run: async () => {
      const r = await benchProjectStream();
      return `${r.subscribers} SSE subscribers × ${r.writes} writes (50/s): p50 ${fmt(r.p50Ms, 2)} ms (target < 50), p99 ${fmt(r.p99Ms, 2)} ms (target < 200), delivered ${r.delivered}/${r.expected}`;
    },
  },
  {
    name: 'authz',
    run: async () => {
      const r = await benchAuthorisation();
      return `JWT (cached JWKS) + policy per request: p50 ${fmt(r.p50Ms, 3)} ms, p99 ${fmt(r.p99Ms, 3)} ms (target p99 < 2, ratio ${fmt(r.p99Ms / 2, 2)}) over ${r.iterations}`;
    },
  },
  {
    name: 'rate-limit',
    run: async () => {
      const r = await benchRateLimit();
      return `shared (Postgres) rate limit UPSERT per API request, ${r.hits} hits: p50 ${fmt(r.p50Ms, 3)} ms, p99 ${fmt(r.p99Ms, 3)} ms (added to authz; authz p99 + this p99 target < 2)`;
    },
  },
  {
    name: 'claims',
    run: async () => {
      const r = await benchClaims();
      return `${r.claimers} claimers × ${r.items} items: ${fmt(r.claimsPerSecond, 0)} claims/s (target ≥ 2000, ratio ${fmt(r.claimsPerSecond / 2000, 2)}), double claims ${r.doubleClaims} (target 0)`;
    },
  },
  {
    name: 'notify',
    run: async () => {
      const r = await benchNotifyLatency();
      return `write → subscriber: p50 ${fmt(r.p50Ms, 2)} ms (target < 5), p99 ${fmt(r.p99Ms, 2)} ms (target < 20) over ${r.writes} writes`;
    },
  },
  {
    name: 'linear',
    run: async () => {
      const r = await benchLinear();
      const ph = r.phasesP50;
      return `webhook → feature visible: p50 ${fmt(r.visibleP50)} ms, p95 ${fmt(r.visibleP95)} ms (target < 100, ratio ${fmt(r.visibleP95 / 100, 2)}) over ${r.samples}; webhook → agent started (null driver + workspace clone): p50 ${fmt(r.startedP50)} ms, p95 ${fmt(r.startedP95)} ms (target < 300, ratio ${fmt(r.startedP95 / 300, 2)}) over ${r.startedCount}; p50 phases from send: webhook answered ${fmt(ph.webhookAnswered, 1)} ms, inbox drain started ${fmt(ph.drainStarted, 1)} ms, then feature +${fmt(ph.toFeature, 1)} ms, then agent +${fmt(ph.toAgent, 1)} ms; backfill ${r.backfillIssues} issues: ${fmt(r.backfillMs / 1000, 2)} s, ${r.backfillRequests} requests`;
    },
  },
  {
    name: 'cold-start',
    run: async () => {
      const r = await measureColdStart();
      return `npm start → login page 200: ${fmt(r.seconds)} s (target < 20)${r.webBuilt ? ' — included a web build' : ''}`;
    },
  },
  {
    name: 'ecs-overhead',
    run: async () => {
      const r = await benchEcsOverhead();
      return `ECS driver per run over ${r.runs} runs (fake, simulated start excluded): RunTask→handle p50 ${fmt(r.startP50, 2)} ms, p95 ${fmt(r.startP95, 2)} ms; STOPPED→onExit p95 ${fmt(r.detectP95, 1)} ms (poll ${r.pollIntervalMs} ms); total p95 ${fmt(r.totalP95, 1)} ms (target < 50, ratio ${fmt(r.totalP95 / 50, 2)})`;
    },
  },
  {
    name: 'ecs-burst',
    run: async () => {
      const r = await benchEcsBurst();
      return `${r.runs} runs, RunTask throttled at 20/s: started ${r.started}, lost ${r.lost} (target 0), fake tasks ${r.tasks}, throttles ${r.throttled}; last start after ${fmt(r.seconds, 2)} s (bucket-limited ideal ${fmt(r.idealSeconds, 1)} s, ratio ${fmt(r.seconds / r.idealSeconds, 2)})`;
    },
  },
  {
    name: 'warm-start',
    run: async () => {
      const r = await benchWarmStart();
      return `run start → runner's first event, ECS fake (simulated provisioning ${r.provisioningMs} ms), ${r.samples} runs each: cold p50 ${fmt(r.coldP50, 0)} ms (max ${fmt(r.coldMax, 0)}), warm p50 ${fmt(r.warmP50, 0)} ms (max ${fmt(r.warmMax, 0)}); served warm ${r.served}/${r.samples}`;
    },
  },
];

const wanted = process.argv.slice(2);
for (const bench of benches.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  const started = performance.now();
  try {
    console.log(
      `${bench.name.padEnd(12)} ${await bench.run()}  [${fmt((performance.now() - started) / 1000)} s]`,
    );
  } catch (error) {
    console.log(`${bench.name.padEnd(12)} FAILED: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
// Benches that ran on the process's embedded test Postgres (startStack) leave it for us to stop.
await stopTestPostgres();
