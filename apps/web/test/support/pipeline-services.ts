/**
 * The agent side of the platform for browser tests: the scripted model server, the demo
 * repository, and the orchestrator as a real service process (`node --import tsx main.ts`, as
 * `npm start` runs it) against the test database. Spawned rather than imported, so the web tests
 * depend on no orchestrator internals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDemoRepository } from '@omakase/demo-repo';
import { type ModelServer, startModelServer } from '@omakase/model-server';

const ORCHESTRATOR_MAIN = resolve(import.meta.dirname, '../../../orchestrator/src/main.ts');

export interface PipelineServices {
  /** `file://` URL of the demo repository (the project's remote). */
  repositoryUrl: string;
  model: ModelServer;
  stop(): Promise<void>;
}

/** A fresh data dir; the orgs' local repositories go under `repos/<orgId>/`. */
export const newDataDir = () => mkdtemp(join(tmpdir(), 'omakase-web-pipeline-'));

/** The secret the web app and the orchestrator share for runner tokens: pass it to both. */
export const newRunTokenSecret = () => randomBytes(32).toString('hex');

export async function startPipelineServices(opts: {
  databaseUrl: string;
  apiUrl: string;
  runTokenSecret: string;
  /** The org whose local repository this is (OMAKASE_LOCAL_REPOSITORY_ORGS, as `npm start` sets it). */
  orgId: string;
  /** The data dir (`OMAKASE_DATA_DIR`), when the web app must see it too; by default a fresh one. */
  dataDir?: string;
}): Promise<PipelineServices> {
  const dataDir = opts.dataDir ?? (await newDataDir());
  const repoDir = join(dataDir, 'repos', opts.orgId, 'demo-shop');
  const [model] = await Promise.all([startModelServer({ port: 0 }), createDemoRepository(repoDir)]);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ORCHESTRATOR_MAIN], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      DATABASE_URL: opts.databaseUrl,
      OMAKASE_API_URL: opts.apiUrl,
      RUN_TOKEN_SECRET: opts.runTokenSecret,
      OMAKASE_DATA_DIR: dataDir,
      OMAKASE_LOCAL_REPOSITORY_ORGS: opts.orgId,
      // Demo mode, as `npm start` runs it: no key, the scripted model.
      ANTHROPIC_BASE_URL: model.url,
      ORCHESTRATOR_ID: 'web-e2e',
      HEALTH_PORT: '0',
      LEASE_MS: '3000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await untilStarted(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    repositoryUrl: `file://${repoDir}`,
    model,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await model.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves on the orchestrator's "orchestrator started" log line; rejects if it exits first. */
function untilStarted(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('"msg":"orchestrator started"')) resolvePromise();
      buffered = buffered.slice(-2000);
    });
    child.once('exit', (code) => reject(new Error(`orchestrator exited (${code}): ${stderr}`)));
  });
}
