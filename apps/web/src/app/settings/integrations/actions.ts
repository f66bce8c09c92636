'use server';
/**
 * Linear settings actions (admin only: `integration:manage`): connect with a personal API key,
 * save teams / trigger / state mapping, disconnect (connect and disconnect are audited). Each redirects back with an outcome message.
 */
import { ProjectIdSchema } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { toApiError } from '@/server/api-error';
import { linearStore } from '@/server/linear/config';
import { connectApiKey, disconnect } from '@/server/linear/connect';
import { getPageCaller } from '@/server/page-caller';
import { assertAllowed } from '@/server/policy';
import { actorOf } from '@/server/security/audit';

const PAGE = '/settings/integrations';

async function authorisedCaller() {
  const page = await getPageCaller();
  if (!page.ok) throw new AuthError('forbidden', page.reason);
  assertAllowed(page.caller.role, 'integration:manage');
  return { orgId: page.caller.organization.id, actor: actorOf(page.caller) };
}

const back = (outcome: { ok: string } | { error: string }) =>
  `${PAGE}?${new URLSearchParams('ok' in outcome ? { linear: outcome.ok } : { error: outcome.error })}`;

const failure = (error: unknown) => ({ error: toApiError(error).message });

const ApiKeyForm = z.object({
  apiKey: z
    .string()
    .trim()
    .regex(/^lin_api_\w+$/, 'a Linear personal API key starts with lin_api_'),
  webhookSecret: z.string().trim().min(16, "paste the webhook's signing secret").max(200),
});

const name = z.string().trim().min(1).max(100);
const SettingsForm = z.object({
  // The team picker's checked boxes.
  teamIds: z.array(z.string().regex(/^[\w-]{1,64}$/, 'team ids are letters, digits and dashes')).max(20),
  defaultProjectId: z.union([z.literal('').transform(() => null), ProjectIdSchema]),
  triggerLabel: z
    .string()
    .trim()
    .max(100)
    .transform((s) => s || null),
  triggerStateName: z
    .string()
    .trim()
    .max(100)
    .transform((s) => s || null),
  started: name,
  inReview: name,
  done: name,
});

const field = (form: FormData, key: string) => {
  const value = form.get(key);
  return typeof value === 'string' ? value : '';
};

export async function connectLinearApiKeyAction(form: FormData): Promise<void> {
  let outcome: Parameters<typeof back>[0];
  try {
    const { orgId, actor } = await authorisedCaller();
    const parsed = ApiKeyForm.safeParse({
      apiKey: field(form, 'apiKey'),
      webhookSecret: field(form, 'webhookSecret'),
    });
    if (parsed.success) {
      await connectApiKey(orgId, parsed.data, actor);
      outcome = { ok: 'connected' };
    } else outcome = { error: parsed.error.issues[0]!.message };
  } catch (error) {
    outcome = failure(error);
  }
  redirect(back(outcome));
}

export async function saveLinearSettingsAction(form: FormData): Promise<void> {
  let outcome: Parameters<typeof back>[0];
  try {
    const { orgId } = await authorisedCaller();
    const parsed = SettingsForm.safeParse({
      ...Object.fromEntries(Object.keys(SettingsForm.shape).map((key) => [key, field(form, key)])),
      teamIds: form.getAll('teamIds').filter((v) => typeof v === 'string'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      outcome = { error: `${String(issue.path[0])}: ${issue.message}` };
    } else {
      const { started, inReview, done, ...rest } = parsed.data;
      const saved = await linearStore().connections.updateSettings(orgId, {
        ...rest,
        stateMap: { started, inReview, done },
      });
      outcome = saved ? { ok: 'saved' } : { error: 'Linear is not connected' };
    }
  } catch (error) {
    outcome = failure(error);
  }
  redirect(back(outcome));
}

export async function disconnectLinearAction(): Promise<void> {
  let outcome: Parameters<typeof back>[0];
  try {
    const { orgId, actor } = await authorisedCaller();
    outcome = (await disconnect(orgId, actor))
      ? { ok: 'disconnected' }
      : { error: 'Linear is not connected' };
  } catch (error) {
    outcome = failure(error);
  }
  redirect(back(outcome));
}
