import { PROJECT_STATUSES } from '@omakase/domain';
import { z } from 'zod';
import { GitRefSchema, IsoDateSchema, ProjectIdSchema, RepositoryUrlSchema } from './primitives';
import { DetectedCommandsDto, ProjectSettingsPatchSchema, ProjectSettingsSchema } from './project-settings';
import { singleLine } from './text';

export const ProjectNameSchema = singleLine(z.string().trim().min(1, 'name is required').max(100));
export const KeyPrefixSchema = z.string().regex(/^[A-Z]{2,10}$/, 'must be 2–10 uppercase letters');

export const CreateProjectBody = z.strictObject({
  name: ProjectNameSchema,
  keyPrefix: KeyPrefixSchema,
  repositoryUrl: RepositoryUrlSchema,
  defaultBranch: GitRefSchema.optional(),
  settings: ProjectSettingsPatchSchema.optional(),
});
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const UpdateProjectBody = z.strictObject({
  name: ProjectNameSchema.optional(),
  repositoryUrl: RepositoryUrlSchema.optional(),
  defaultBranch: GitRefSchema.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  settings: ProjectSettingsPatchSchema.optional(),
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
  /** What the orchestrator found in the repository (null until it read it); user values override. */
  detectedCommands: DetectedCommandsDto.nullable(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type ProjectDto = z.infer<typeof ProjectDto>;

export const ProjectList = z.object({ items: z.array(ProjectDto) });
