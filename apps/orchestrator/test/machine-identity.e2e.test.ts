/**
 * The orchestrator's machine identity, end to end: the service process holds an M2M client
 * (`runs:mint`) instead of the run-token signing key and asks the API for each run's token.
 * A feature goes through the whole pipeline that way; half a configuration is refused.
 */
import { readFileSync } from 'node:fs';
import { RUN_MINT_PERMISSION } from '@omakase/auth';
import { type LocalIssuer, startLocalIssuer } from '@omakase/devstack/issuer';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrchestratorProcess, spawnOrchestrator } from './orchestrator-process';
import { type Stack, startStack, waitUntilSettled } from './stack';
import { HAPPY_ROLES } from './support-runs';

const ORCHESTRATOR = { clientId: 'e2e-orchestrator', clientSecret: 'e2e-orchestrator-secret' };

let issuer: LocalIssuer;
let stack: Stack;
const processes: OrchestratorProcess[] = [];

beforeAll(async () => {
  issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: ['http://localhost:3000'],
    machineClients: [{ ...ORCHESTRATOR, permissions: [RUN_MINT_PERMISSION] }],
  });
  stack = await startStack({ webEnv: { AUTH0_DOMAIN: issuer.url } });
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await stack?.close();
  await issuer?.stop();
});

/** The orchestrator's environment with the M2M client and without RUN_TOKEN_SECRET. */
const m2mEnv = (overrides: Record<string, string> = {}) => ({
  RUN_TOKEN_SECRET: '',
  ORCHESTRATOR_M2M_CLIENT_ID: ORCHESTRATOR.clientId,
  ORCHESTRATOR_M2M_CLIENT_SECRET: ORCHESTRATOR.clientSecret,
  M2M_TOKEN_URL: `${issuer.url}/oauth/token`,
  ...overrides,
});

describe('the orchestrator with an M2M client instead of the signing key', () => {
  it('runs a feature through the pipeline on run tokens the API issued', async () => {
    // Trace level: the secret search below covers everything the orchestrator can log.
    const orchestrator = spawnOrchestrator(stack, 'orch-m2m', m2mEnv({ LOG_LEVEL: 'trace' }));
    processes.push(orchestrator);
    const configured = await orchestrator.nextLog((line) => line.msg === 'run tokens configured');
    expect(configured.runTokens).toBe('api');
    const environment = readFileSync(`/proc/${orchestrator.child.pid}/environ`, 'utf8').split('\0');
    expect(environment.some((entry) => entry.startsWith('RUN_TOKEN_SECRET='))).toBe(false);

    const { store, storage, project } = stack;
    const feature = await store.features.create(project.id, { title: 'Add a wishlist' });
    expect((await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 })).ok).toBe(true);
    const settled = await waitUntilSettled(storage, store, feature);
    expect(settled.status).toBe('done');

    const runs = await store.runs.listByFeature(feature.id);
    expect(runs.map((r) => `${r.role}:${r.status}`)).toEqual(HAPPY_ROLES.map((role) => `${role}:succeeded`));
    // Every runner reported with its token: events and a result for each run.
    const events = await Promise.all(runs.map((run) => store.events.list(run.id)));
    for (const list of events) expect(list.length).toBeGreaterThan(0);
    expect(orchestrator.launches()).toEqual(runs.map((r) => r.id));
    // The orchestrator's client secret reached neither its log nor any agent's events.
    const written = JSON.stringify([orchestrator.logs, events, orchestrator.stderr()]);
    expect(written).not.toContain(ORCHESTRATOR.clientSecret);
  });

  it('refuses to start with half an M2M configuration, naming the missing variable', async () => {
    const orchestrator = spawnOrchestrator(
      stack,
      'orch-half',
      m2mEnv({ ORCHESTRATOR_M2M_CLIENT_SECRET: '' }),
    );
    processes.push(orchestrator);
    expect(await orchestrator.exited).toBe(78);
    expect(orchestrator.stderr()).toMatch(
      /ORCHESTRATOR_M2M_CLIENT_SECRET: required with ORCHESTRATOR_M2M_CLIENT_ID and M2M_TOKEN_URL/,
    );
  });

  it('refuses to start with neither an M2M client nor RUN_TOKEN_SECRET', async () => {
    const orchestrator = spawnOrchestrator(
      stack,
      'orch-none',
      m2mEnv({ ORCHESTRATOR_M2M_CLIENT_ID: '', ORCHESTRATOR_M2M_CLIENT_SECRET: '', M2M_TOKEN_URL: '' }),
    );
    processes.push(orchestrator);
    expect(await orchestrator.exited).toBe(78);
    expect(orchestrator.stderr()).toMatch(/ORCHESTRATOR_M2M_CLIENT_ID: set it with/);
  });
});
