import { ProjectIdSchema } from '@omakase/api-contract';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader, NoAccess } from '@/components/app-header';
import { LiveProjectProvider, type Permissions } from '@/components/project/live-project';
import { ProjectToolbar } from '@/components/project/project-toolbar';
import { Badge } from '@/components/ui';
import { loadBoard } from '@/server/dashboard/board';
import { projectCursor } from '@/server/dashboard/project-hub';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { storage } from '@/server/storage';

export const dynamic = 'force-dynamic';

/** Every project view shares one live board, fed by the project's SSE stream. */
export default async function ProjectLayout({
  params,
  children,
}: {
  params: Promise<{ projectId: string }>;
  children: ReactNode;
}) {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  const id = ProjectIdSchema.safeParse((await params).projectId);
  if (!id.success) notFound();
  const store = storage().forOrg(caller.organization.id);
  const project = await store.projects.get(id.data);
  if (!project) notFound();
  // The cursor is taken before the read: whatever changes meanwhile is replayed to the client.
  const cursor = await projectCursor(caller.organization.id, project.id);
  const board = await loadBoard(store, project);
  const role = caller.role;
  const can: Permissions = {
    editFeatures: isAllowed(role, 'feature:update'),
    deleteFeatures: isAllowed(role, 'feature:delete'),
    runPipeline: isAllowed(role, 'run:start'),
    stopPipeline: isAllowed(role, 'run:stop'),
    answer: isAllowed(role, 'feature:answer'),
    editProject: isAllowed(role, 'project:update'),
  };
  return (
    <>
      <AppHeader caller={caller} />
      <LiveProjectProvider board={board} cursor={cursor} can={can}>
        <main className="mx-auto max-w-[110rem] space-y-4 px-6 py-6">
          <div>
            <Link href="/" className="text-sm text-muted hover:text-ink">
              ← Projects
            </Link>
            <div className="mt-1 flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight">{project.name}</h1>
              <Badge>{project.keyPrefix}</Badge>
              <Badge tone={project.status === 'active' ? 'ok' : 'warn'}>{project.status}</Badge>
              <span className="font-mono text-xs text-muted">
                {project.repositoryUrl} · {project.defaultBranch}
              </span>
            </div>
          </div>
          <ProjectToolbar />
          {children}
        </main>
      </LiveProjectProvider>
    </>
  );
}
