import { notFound } from 'next/navigation';
import { AppHeader, NoAccess } from '@/components/app-header';
import { Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { storage } from '@/server/storage';
import { retryDeadWorkAction } from './actions';

export const dynamic = 'force-dynamic';

/** Work the orchestrator gave up on after every attempt (dead letters), with a retry; admins only. */
export default async function FailedWorkPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  if (!isAllowed(caller.role, 'work:manage')) notFound();
  const [items, query] = await Promise.all([
    storage().forOrg(caller.organization.id).work.listDead(),
    searchParams,
  ]);
  const message =
    typeof query.retried === 'string'
      ? { tone: 'text-ok', text: `Queued again: ${query.retried}` }
      : typeof query.error === 'string'
        ? { tone: 'text-danger', text: query.error }
        : null;
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Failed work</h1>
          <p className="text-sm text-muted">
            Steps the orchestrator tried as often as their kind allows and then set aside. Retrying runs one
            again from its first attempt.
          </p>
        </div>
        {message ? (
          <p role="status" className={`text-sm ${message.tone}`}>
            {message.text}
          </p>
        ) : null}
        <Card className="p-4">
          {items.length === 0 ? (
            <p className="text-sm text-muted" data-testid="dead-work-empty">
              Nothing failed for good.
            </p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="dead-work">
              <thead className="text-muted">
                <tr>
                  <th className="py-1 font-medium">Kind</th>
                  <th className="py-1 font-medium">Subject</th>
                  <th className="py-1 font-medium">Attempts</th>
                  <th className="py-1 font-medium">Last error</th>
                  <th className="py-1 font-medium">Failed at</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} className="border-t border-line align-top" data-work-item={item.id}>
                    <td className="py-2 font-mono text-xs">{item.kind}</td>
                    <td className="py-2 font-mono text-xs">{item.subjectId}</td>
                    <td className="py-2">{item.attempts}</td>
                    <td className="max-w-md py-2 font-mono text-xs break-words">{item.lastError ?? '—'}</td>
                    <td className="py-2 text-xs">
                      {item.deadAt.toISOString().replace('T', ' ').slice(0, 19)}
                    </td>
                    <td className="py-2 text-right">
                      <form action={retryDeadWorkAction}>
                        <input type="hidden" name="workItemId" value={item.id} />
                        <button
                          type="submit"
                          className="rounded-md border border-line px-2 py-1 hover:border-accent"
                          aria-label={`Retry ${item.kind} ${item.subjectId}`}
                        >
                          Retry
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </main>
    </>
  );
}
