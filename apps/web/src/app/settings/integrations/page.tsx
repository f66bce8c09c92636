import { routeUrl } from '@omakase/api-contract';
import type { LinearConnection } from '@omakase/domain';
import { AppHeader, NoAccess } from '@/components/app-header';
import { Badge, buttonClass, Card, inputClass } from '@/components/ui';
import { linearStore, oauthApp } from '@/server/linear/config';
import { linearOptions } from '@/server/linear/options';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { storage } from '@/server/storage';
import { connectLinearApiKeyAction, disconnectLinearAction, saveLinearSettingsAction } from './actions';

export const dynamic = 'force-dynamic';

const when = (date: Date | null) => (date ? date.toISOString().replace('T', ' ').slice(0, 19) : 'never');

function TextField(props: {
  label: string;
  name: string;
  value?: string | null;
  hint?: string;
  type?: string;
}) {
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium">{props.label}</span>
      <input
        className={inputClass}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={props.value ?? ''}
        autoComplete="off"
      />
      {props.hint ? <span className="text-xs text-muted">{props.hint}</span> : null}
    </label>
  );
}

/** A select over what Linear offers; the saved value stays selectable even when Linear is unreachable. */
function SelectField(props: {
  label: string;
  name: string;
  value: string | null;
  choices: string[];
  none?: string;
}) {
  const choices = [...new Set([...(props.value ? [props.value] : []), ...props.choices])];
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium">{props.label}</span>
      <select className={inputClass} name={props.name} defaultValue={props.value ?? ''}>
        {props.none !== undefined ? <option value="">{props.none}</option> : null}
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Linear connection (OAuth or API key), sync settings and health. Admins only. */
export default async function IntegrationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  if (!isAllowed(caller.role, 'integration:manage')) {
    return <NoAccess reason="Only admins and owners manage integrations." />;
  }
  const query = await searchParams;
  const connection: LinearConnection | null = await linearStore().connections.get(caller.organization.id);
  const projects = await storage().forOrg(caller.organization.id).projects.list();
  const oauthReady = oauthApp() !== null;
  const s = connection?.settings;
  const options = connection
    ? await linearOptions(caller.organization.id, connection.settings.teamIds)
    : { ok: false as const, error: 'not connected' };
  // Stage → state mapping is by name: the chosen teams' states, each name once.
  const stateNames = options.ok ? [...new Set(options.states.map((st) => st.name))] : [];
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-3xl space-y-6 px-6 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Integrations</h1>
        {typeof query.linear === 'string' ? <Badge tone="ok">Linear: {query.linear}</Badge> : null}
        {typeof query.error === 'string' ? <Badge tone="danger">{query.error}</Badge> : null}

        <Card className="space-y-3 p-4">
          <h2 className="font-medium">Linear</h2>
          {connection ? (
            <dl className="grid grid-cols-2 gap-1 text-sm" data-testid="linear-health">
              <dt>Mode</dt>
              <dd>{connection.mode === 'oauth' ? 'OAuth app' : 'Personal API key'}</dd>
              <dt>Linear organisation</dt>
              <dd className="font-mono text-xs">{connection.linearOrgId}</dd>
              <dt>Token expires</dt>
              <dd>{connection.expiresAt ? when(connection.expiresAt) : 'does not expire'}</dd>
              <dt>Last webhook</dt>
              <dd>{when(connection.lastWebhookAt)}</dd>
              <dt>Linear API</dt>
              <dd data-testid="linear-api-health">{options.ok ? 'reachable' : options.error}</dd>
              <dt>Last error</dt>
              <dd>
                {connection.lastError ? `${connection.lastError} (${when(connection.lastErrorAt)})` : 'none'}
              </dd>
            </dl>
          ) : (
            <p className="text-sm text-muted">Not connected.</p>
          )}
          <div className="flex gap-3">
            {oauthReady ? (
              <a className={buttonClass} href={routeUrl('installLinear')}>
                {connection ? 'Reconnect with OAuth' : 'Connect Linear'}
              </a>
            ) : (
              <span className="text-sm text-muted">
                OAuth install needs LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET.
              </span>
            )}
            {connection ? (
              <form action={disconnectLinearAction}>
                <button className={buttonClass} type="submit">
                  Disconnect
                </button>
              </form>
            ) : null}
          </div>
        </Card>

        <Card className="p-4">
          <form action={connectLinearApiKeyAction} className="space-y-3">
            <h2 className="font-medium">Quick start: personal API key</h2>
            <TextField
              label="API key"
              name="apiKey"
              type="password"
              hint="Linear → Settings → API → Personal API keys"
            />
            <TextField
              label="Webhook signing secret"
              name="webhookSecret"
              type="password"
              hint="Create a webhook in Linear pointing at /api/webhooks/linear and paste its secret"
            />
            <button className={buttonClass} type="submit">
              Connect with API key
            </button>
          </form>
        </Card>

        {connection && s ? (
          <Card className="p-4">
            <form action={saveLinearSettingsAction} className="space-y-3">
              <h2 className="font-medium">Sync settings</h2>
              <fieldset className="space-y-1 text-sm" data-testid="linear-teams">
                <legend className="font-medium">Teams to import</legend>
                {(options.ok ? options.teams : s.teamIds.map((id) => ({ id, key: id, name: id }))).map(
                  (t) => (
                    <label key={t.id} className="mr-4 inline-flex items-center gap-1">
                      <input
                        type="checkbox"
                        name="teamIds"
                        value={t.id}
                        defaultChecked={s.teamIds.includes(t.id)}
                      />
                      {t.name} <span className="font-mono text-xs text-muted">{t.key}</span>
                    </label>
                  ),
                )}
              </fieldset>
              <label className="block space-y-1 text-sm">
                <span className="font-medium">Project for imported issues</span>
                <select
                  className={inputClass}
                  name="defaultProjectId"
                  defaultValue={s.defaultProjectId ?? ''}
                >
                  <option value="">(none)</option>
                  {projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <SelectField
                label="Trigger label (issues with it go to the agents)"
                name="triggerLabel"
                value={s.triggerLabel}
                choices={options.ok ? options.labels.map((l) => l.name) : []}
                none="(no label)"
              />
              <SelectField
                label="Trigger workflow state (…or issues entering it)"
                name="triggerStateName"
                value={s.triggerStateName}
                choices={stateNames}
                none="(no state)"
              />
              <SelectField
                label="Started → state"
                name="started"
                value={s.stateMap.started}
                choices={stateNames}
              />
              <SelectField
                label="PR opened → state"
                name="inReview"
                value={s.stateMap.inReview}
                choices={stateNames}
              />
              <SelectField label="Done → state" name="done" value={s.stateMap.done} choices={stateNames} />
              <button className={buttonClass} type="submit">
                Save
              </button>
            </form>
          </Card>
        ) : null}
      </main>
    </>
  );
}
