'use server';
/** Retrying a dead letter from the settings page (admins: `work:manage`), audited like the API's. */
import { AuthError } from '@omakase/auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { toApiError } from '@/server/api-error';
import { getPageCaller } from '@/server/page-caller';
import { assertAllowed } from '@/server/policy';
import { actorOf } from '@/server/security/audit';
import { storage } from '@/server/storage';

const PAGE = '/settings/work';
const WorkItemId = z.string().regex(/^wrk_[0-9a-z]{26}$/, 'must be a work item id');

export async function retryDeadWorkAction(form: FormData): Promise<void> {
  let outcome: Record<string, string>;
  try {
    const page = await getPageCaller();
    if (!page.ok) throw new AuthError('forbidden', page.reason);
    assertAllowed(page.caller.role, 'work:manage');
    const id = WorkItemId.parse(form.get('workItemId'));
    const retried = await storage()
      .forOrg(page.caller.organization.id)
      .transaction(async (tx) => {
        const item = await tx.work.retryDead(id);
        if (item) await tx.audit.record({ actor: actorOf(page.caller), action: 'work.retried', target: id });
        return item;
      });
    outcome = retried
      ? { retried: `${retried.kind} ${retried.subjectId}` }
      : { error: 'That item is no longer dead.' };
  } catch (error) {
    outcome = { error: toApiError(error).message };
  }
  redirect(`${PAGE}?${new URLSearchParams(outcome)}`);
}
