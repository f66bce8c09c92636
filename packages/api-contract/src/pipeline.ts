/** Schemas of the pipeline API: control (start/stop/retry/answer), runs and their events. */
import { RUN_EVENT_TYPES, RUN_ROLES, RUN_STATUSES } from '@omakase/domain';
import { z } from 'zod';
import { IsoDateSchema, idPattern } from './primitives';
import { eventBatchSchema, runResultSchema } from './runner';
import { multiLine } from './text';

export const RunIdSchema = z
  .string()
  .regex(idPattern('run'), 'must be a run id (run_<ulid>)')
  .transform((v) => v as `run_${string}`);
export const RunParams = z.object({ runId: RunIdSchema });

export const AnswerBody = z.strictObject({
  answer: multiLine(z.string().trim().min(1, 'answer is required').max(10_000)),
});

export const RunDto = z.object({
  id: z.string(),
  featureId: z.string(),
  role: z.enum(RUN_ROLES),
  status: z.enum(RUN_STATUSES),
  attempt: z.number().int(),
  input: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()).nullable(),
  createdAt: IsoDateSchema,
  startedAt: IsoDateSchema.nullable(),
  finishedAt: IsoDateSchema.nullable(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  usageByModel: z.record(
    z.string(),
    z.object({
      inputTokens: z.number(),
      outputTokens: z.number(),
      cacheReadInputTokens: z.number(),
      cacheCreationInputTokens: z.number(),
      costUsd: z.number(),
    }),
  ),
  computeSeconds: z.number(),
  exitReason: z.string().nullable(),
});
export type RunDto = z.infer<typeof RunDto>;

export const CostTotalsDto = z.object({
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  computeSeconds: z.number(),
  runs: z.number().int(),
});

export const RunList = z.object({ runs: z.array(RunDto), totals: CostTotalsDto });

export const RunEventDto = z.object({
  id: z.string(),
  runId: z.string(),
  seq: z.number().int(),
  type: z.enum(RUN_EVENT_TYPES),
  payload: z.record(z.string(), z.unknown()),
  createdAt: IsoDateSchema,
});
export type RunEventDto = z.infer<typeof RunEventDto>;

/** The largest run-event sequence number (a Postgres `integer`). */
export const MAX_SEQ = 2 ** 31 - 1;

export const RunEventsQuery = z.object({
  // Sequence numbers are Postgres integers: a larger cursor is refused, not sent to the database.
  afterSeq: z.coerce.number().int().min(0).max(MAX_SEQ).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const RunEventsPage = z.object({ events: z.array(RunEventDto), nextAfterSeq: z.number().int() });

/** Runner → platform (the runner's wire contract lives in runner.ts; these are its request bodies). */
export const RunnerEventBatch = eventBatchSchema;
export const RunnerResult = runResultSchema;
