'use server';
import type { ApiAction } from '@omakase/api-contract';
/**
 * Server actions behind the pages' forms: the same zod schemas, the same authorisation check
 * and the same services as the /api/v1 handlers.
 */
import { CreateProjectBody } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import { revalidatePath } from 'next/cache';
import { errorFormState, type FormState, formValues, zodFormState } from '@/server/form-state';
import { getPageCaller } from '@/server/page-caller';
import { assertAllowed } from '@/server/policy';
import { createProject } from '@/server/services';
import { storage } from '@/server/storage';

async function authorisedStore(action: ApiAction) {
  const page = await getPageCaller();
  if (!page.ok) throw new AuthError('forbidden', page.reason);
  assertAllowed(page.caller.role, action);
  return storage().forOrg(page.caller.organization.id);
}

export async function createProjectAction(_previous: FormState, form: FormData): Promise<FormState> {
  const v = formValues(form);
  const parsed = CreateProjectBody.safeParse({
    name: v.text('name') ?? '',
    keyPrefix: v.text('keyPrefix')?.trim().toUpperCase() ?? '',
    repositoryUrl: v.text('repositoryUrl') ?? '',
    defaultBranch: v.text('defaultBranch')?.trim(),
  });
  if (!parsed.success) return zodFormState(parsed.error);
  try {
    const store = await authorisedStore('project:create');
    const project = await store.transaction((tx) => createProject(tx, parsed.data));
    revalidatePath('/');
    return { status: 'ok', message: `Created ${project.name}`, fieldErrors: {} };
  } catch (error) {
    return errorFormState(error);
  }
}
