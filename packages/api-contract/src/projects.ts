import { PROJECT_STATUSES } from '@omakase/domain';
import { z } from 'zod';
import { GitRefSchema, IsoDateSchema, ProjectIdSchema, RepositoryUrlSchema } from './primitives';
import { singleLine } from './text';

export const ProjectSettingsSchema = z.strictObject({
  maxConcurrentAgents: z.number().int().min(1).max(20),
  budgetPerFeatureUsd: z.number().min(0).max(1000),
  commandAllowlist: z.array(singleLine(z.string().trim().min(1).max(200))).max(50),
  /** A human approves (or sends back) each architect's plan before coding starts. */
  requirePlanApproval: z.boolean(),
});

export const ProjectNameSchema = singleLine(z.string().trim().min(1, 'name is required').max(100));
export const KeyPrefixSchema = z.string().regex(/^[A-Z]{2,10}$/, 'must be 2–10 uppercase letters');

export const CreateProjectBody = z.strictObject({
  name: ProjectNameSchema,
  keyPrefix: KeyPrefixSchema,
  repositoryUrl: RepositoryUrlSchema,
  defaultBranch: GitRefSchema.optional(),
  settings: ProjectSettingsSchema.partial().optional(),
});
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const UpdateProjectBody = z.strictObject({
  name: ProjectNameSchema.optional(),
  repositoryUrl: RepositoryUrlSchema.optional(),
  defaultBranch: GitRefSchema.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  settings: ProjectSettingsSchema.partial().optional(),
});
export type UpdateProjectBody = z.infer<typeof UpdateProjectBody>;

export const ProjectParams = z.object({ projectId: ProjectIdSchema });

export const ProjectDto = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  repositoryUrl: z.string(),
  defaultBranch: z.string(),
  status: z.enum(PROJECT_STATUSES),
  settings: ProjectSettingsSchema,
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type ProjectDto = z.infer<typeof ProjectDto>;

export const ProjectList = z.object({ items: z.array(ProjectDto) });
