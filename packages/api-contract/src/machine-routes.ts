/**
 * Routes called by machines, not people: the agent runner with its run token, warm runner
 * tasks and the orchestrator with M2M access tokens. They sit beside the user registry so that the OpenAPI
 * document covers every endpoint; their handlers take the schemas from here.
 */
import { z } from 'zod';
import {
  claimedRunSchema,
  claimRequestSchema,
  eventBatchSchema,
  mintedRunTokenSchema,
  mintRunTokenRequestSchema,
  runCredentialsSchema,
  runResultSchema,
  runSpecSchema,
} from './runner';

export interface MachineRouteSpec {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  summary: string;
  tag: 'runner' | 'orchestrator';
  /**
   * `run-token`: the run's own short-lived token, refused once the run has ended;
   * `machine`: an M2M (client-credentials) access token holding `permission`.
   */
  credential: 'run-token' | 'machine';
  permission?: string;
  params?: z.ZodType;
  body?: z.ZodType;
  status: 200;
  response: z.ZodType;
  /** A long-poll that ends with nothing to hand over answers 204. */
  mayAnswerNoContent?: true;
  /** When the route answers 409. */
  conflict?: string;
}

const RunParams = z.object({ runId: z.string().regex(/^run_[0-9a-z]+$/, 'must be a run id (run_…)') });

export const machineRoutes = {
  getRunSpec: {
    method: 'GET',
    path: '/api/v1/runs/{runId}/spec',
    operationId: 'getRunSpec',
    summary: 'What the run must do: role, attempt, inputs, feature and budget',
    tag: 'runner',
    credential: 'run-token',
    params: RunParams,
    status: 200,
    response: runSpecSchema,
  },
  getRunCredentials: {
    method: 'GET',
    path: '/api/v1/runs/{runId}/credentials',
    operationId: 'getRunCredentials',
    summary: 'The org’s model key for this run (null: the deployment’s key applies); never cached',
    tag: 'runner',
    credential: 'run-token',
    params: RunParams,
    status: 200,
    response: runCredentialsSchema,
  },
  appendRunEvents: {
    method: 'POST',
    path: '/api/v1/runs/{runId}/events',
    operationId: 'appendRunEvents',
    summary: 'Append a batch of the run’s events (ordered; a retried `seq` is dropped)',
    tag: 'runner',
    credential: 'run-token',
    params: RunParams,
    body: eventBatchSchema,
    status: 200,
    response: z.object({ accepted: z.number().int().nonnegative() }),
  },
  recordRunResult: {
    method: 'POST',
    path: '/api/v1/runs/{runId}/result',
    operationId: 'recordRunResult',
    summary: 'Record the run’s final, structured result (once)',
    tag: 'runner',
    credential: 'run-token',
    params: RunParams,
    body: runResultSchema,
    status: 200,
    response: z.object({ recorded: z.boolean() }),
  },
  claimWarmRun: {
    method: 'POST',
    path: '/api/v1/runner/claim',
    operationId: 'claimWarmRun',
    summary: 'Warm runner long-poll: wait (≤ 25 s) for the one run this task will serve',
    tag: 'runner',
    credential: 'machine',
    permission: 'runs:claim',
    body: claimRequestSchema,
    status: 200,
    response: claimedRunSchema,
    mayAnswerNoContent: true,
  },
  mintRunToken: {
    method: 'POST',
    path: '/api/v1/runs/{runId}/token',
    operationId: 'mintRunToken',
    summary: 'A fresh run token for a run about to start (the orchestrator, before each launch)',
    tag: 'orchestrator',
    credential: 'machine',
    permission: 'runs:mint',
    params: RunParams,
    body: mintRunTokenRequestSchema,
    status: 200,
    response: mintedRunTokenSchema,
    conflict: 'The run has ended: its token would be refused anyway',
  },
} as const satisfies Record<string, MachineRouteSpec>;
