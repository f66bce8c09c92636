import { ProjectIdSchema } from '@omakase/api-contract';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppHeader, NoAccess } from '@/components/app-header';
import { CreateFeatureForm } from '@/components/create-feature-form';
import { FeatureList } from '@/components/feature-list';
import { Badge, Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { storage } from '@/server/storage';

export const dynamic = 'force-dynamic';

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  const id = ProjectIdSchema.safeParse((await params).projectId);
  if (!id.success) notFound();
  const store = storage().forOrg(caller.organization.id);
  const project = await store.projects.get(id.data);
  if (!project) notFound();
  const features = await store.features.list(project.id);
  const canCreate = isAllowed(caller.role, 'feature:create');
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-6xl space-y-6 px-6 py-8">
        <div>
          <Link href="/" className="text-sm text-muted hover:text-ink">
            ← Projects
          </Link>
          <div className="mt-2 flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{project.name}</h1>
            <Badge>{project.keyPrefix}</Badge>
            <Badge tone={project.status === 'active' ? 'ok' : 'warn'}>{project.status}</Badge>
          </div>
          <p className="mt-1 font-mono text-xs text-muted">
            {project.repositoryUrl} · {project.defaultBranch}
          </p>
        </div>
        <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
          <FeatureList features={features} />
          {canCreate ? (
            <aside>
              <Card className="p-5">
                <h2 className="mb-4 font-semibold">New feature</h2>
                <CreateFeatureForm
                  projectId={project.id}
                  options={features.map((f) => ({ id: f.id, key: f.key, title: f.title }))}
                />
              </Card>
            </aside>
          ) : null}
        </div>
      </main>
    </>
  );
}
