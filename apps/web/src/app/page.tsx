import { AppHeader, NoAccess } from '@/components/app-header';
import { CreateProjectForm } from '@/components/create-project-form';
import { ProjectCard } from '@/components/project-card';
import { Card, EmptyState } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { projectSummaries } from '@/server/queries';
import { storage } from '@/server/storage';

export const dynamic = 'force-dynamic';

export default async function ProjectsPage() {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  const summaries = await projectSummaries(storage().forOrg(caller.organization.id));
  const canCreate = isAllowed(caller.role, 'project:create');
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto grid max-w-6xl gap-8 px-6 py-8 lg:grid-cols-[1fr_20rem]">
        <section className="space-y-4">
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          {summaries.length === 0 ? (
            <EmptyState
              title="No projects yet"
              hint={
                canCreate ? 'Create one to start queueing features.' : 'An admin can create the first one.'
              }
            />
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              {summaries.map(({ project, counts }) => (
                <ProjectCard key={project.id} project={project} counts={counts} />
              ))}
            </div>
          )}
        </section>
        {canCreate ? (
          <aside>
            <Card className="p-5">
              <h2 className="mb-4 font-semibold">New project</h2>
              <CreateProjectForm />
            </Card>
          </aside>
        ) : null}
      </main>
    </>
  );
}
