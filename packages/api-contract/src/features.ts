import { FEATURE_STATUSES, NEEDS_INPUT_REASONS, type Priority } from '@omakase/domain';
import { z } from 'zod';
import { byteLength, FeatureIdSchema, IsoDateSchema, ProjectIdSchema } from './primitives';
import { multiLine, singleLine } from './text';

export const LIMITS = {
  titleChars: 200,
  descriptionBytes: 50_000,
  acceptanceCriteria: 50,
  criterionChars: 1000,
  categoryChars: 50,
  dependencies: 20,
} as const;

export const FeatureFields = {
  title: singleLine(z.string().trim().min(1, 'title is required').max(LIMITS.titleChars)),
  description: multiLine(
    z
      .string()
      .refine(
        (v) => byteLength(v) <= LIMITS.descriptionBytes,
        `description must be at most ${LIMITS.descriptionBytes} bytes`,
      ),
  ),
  acceptanceCriteria: z
    .array(singleLine(z.string().trim().min(1).max(LIMITS.criterionChars)))
    .max(LIMITS.acceptanceCriteria),
  category: singleLine(z.string().trim().max(LIMITS.categoryChars)),
  priority: z
    .number()
    .int()
    .min(0)
    .max(4)
    .transform((v) => v as Priority),
  dependsOn: z.array(FeatureIdSchema).max(LIMITS.dependencies),
};

export const CreateFeatureBody = z.strictObject({
  title: FeatureFields.title,
  description: FeatureFields.description.optional(),
  acceptanceCriteria: FeatureFields.acceptanceCriteria.optional(),
  category: FeatureFields.category.optional(),
  priority: FeatureFields.priority.optional(),
  dependsOn: FeatureFields.dependsOn.optional(),
});
export type CreateFeatureBody = z.infer<typeof CreateFeatureBody>;

export const UpdateFeatureBody = CreateFeatureBody.partial();
export type UpdateFeatureBody = z.infer<typeof UpdateFeatureBody>;

export const FeatureParams = z.object({ featureId: FeatureIdSchema });
export const ProjectFeaturesParams = z.object({ projectId: ProjectIdSchema });

export const FeatureDto = z.object({
  id: z.string(),
  orgId: z.string(),
  projectId: z.string(),
  key: z.string(),
  title: z.string(),
  description: z.string(),
  acceptanceCriteria: z.array(z.string()),
  category: z.string(),
  priority: z.number().int().min(0).max(4),
  status: z.enum(FEATURE_STATUSES),
  dependsOn: z.array(z.string()),
  needsInput: z
    .object({
      question: z.string(),
      answer: z.string().nullable(),
      askedAt: IsoDateSchema,
      /** What the question is about; `plan_approval`: approve the plan, or say what to change. */
      reason: z.enum(NEEDS_INPUT_REASONS).optional(),
    })
    .nullable(),
  linearIssueId: z.string().nullable(),
  linearUrl: z.string().nullable(),
  branchName: z.string().nullable(),
  pullRequestUrl: z.string().nullable(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type FeatureDto = z.infer<typeof FeatureDto>;

export const FeatureList = z.object({ items: z.array(FeatureDto) });
