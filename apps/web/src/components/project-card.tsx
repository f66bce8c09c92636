import type { FeatureStatus, Project } from '@omakase/domain';
import Link from 'next/link';
import { STATUS_LABEL, STATUS_TONE } from './labels';
import { Badge, Card } from './ui';

export function ProjectCard({
  project,
  counts,
}: {
  project: Project;
  counts: Partial<Record<FeatureStatus, number>>;
}) {
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const entries = (Object.entries(counts) as [FeatureStatus, number][]).filter(([, n]) => n > 0);
  return (
    <Link href={`/projects/${project.id}`} className="group block">
      <Card className="h-full p-5 transition group-hover:border-accent">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 className="font-semibold group-hover:text-accent">{project.name}</h2>
            <p className="mt-0.5 truncate font-mono text-xs text-muted">{project.repositoryUrl}</p>
          </div>
          <span className="shrink-0">
            <Badge>{project.keyPrefix}</Badge>
          </span>
        </div>
        <p className="mt-4 text-sm text-muted">
          {total} {total === 1 ? 'feature' : 'features'}
          {project.status === 'paused' ? ' · paused' : ''}
        </p>
        <div className="mt-2 flex flex-wrap gap-1.5">
          {entries.map(([status, n]) => (
            <Badge key={status} tone={STATUS_TONE[status]}>
              {STATUS_LABEL[status]} {n}
            </Badge>
          ))}
        </div>
      </Card>
    </Link>
  );
}
