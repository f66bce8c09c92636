/** Schemas of the dashboard: the board read model, the project's live stream messages and branch diffs. */
import { RUN_ROLES, RUN_STATUSES } from '@omakase/domain';
import { z } from 'zod';
import { FeatureDto } from './features';
import { IsoDateSchema } from './primitives';
import { ProjectDto } from './projects';

/** A run without its (possibly large) input/output: what cards and the agents panel show. */
export const RunSummaryDto = z.object({
  id: z.string(),
  featureId: z.string(),
  role: z.enum(RUN_ROLES),
  status: z.enum(RUN_STATUSES),
  attempt: z.number().int(),
  createdAt: IsoDateSchema,
  startedAt: IsoDateSchema.nullable(),
  finishedAt: IsoDateSchema.nullable(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
});
export type RunSummaryDto = z.infer<typeof RunSummaryDto>;

export const ThoughtDto = z.object({ runId: z.string(), text: z.string(), at: IsoDateSchema });
export type ThoughtDto = z.infer<typeof ThoughtDto>;

export const BoardDto = z.object({
  project: ProjectDto,
  features: z.array(FeatureDto),
  /** Cost so far per feature id (features without runs are absent). */
  costs: z.record(z.string(), z.number()),
  /** Queued and running runs of the project. */
  activeRuns: z.array(RunSummaryDto),
  /** Latest thought per active run id. */
  thoughts: z.record(z.string(), ThoughtDto),
});
export type BoardDto = z.infer<typeof BoardDto>;

/** Messages of `GET /api/v1/projects/{projectId}/stream` (SSE `event:` name → `data:` JSON). */
export const StreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('project'), project: ProjectDto }),
  z.object({ type: z.literal('feature'), feature: FeatureDto }),
  z.object({ type: z.literal('feature-deleted'), id: z.string() }),
  z.object({ type: z.literal('run'), run: RunSummaryDto, featureCostUsd: z.number() }),
  z.object({ type: z.literal('thought'), featureId: z.string(), thought: ThoughtDto }),
  /** The server cannot replay what the client missed: re-read the board. */
  z.object({ type: z.literal('resync') }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

export const FeatureDiffDto = z.object({
  base: z.string(),
  branch: z.string().nullable(),
  diff: z.string(),
  truncated: z.boolean(),
  /** Why there is no diff (no branch yet, branch not pushed, repository unreachable). */
  unavailable: z.string().nullable(),
});
export type FeatureDiffDto = z.infer<typeof FeatureDiffDto>;
