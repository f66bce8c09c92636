import { FEATURE_STATUSES, type Feature } from '@omakase/domain';
import { PRIORITY_LABEL, PRIORITY_TONE, STATUS_LABEL, STATUS_TONE } from './labels';
import { Badge, Card, EmptyState } from './ui';

export function FeatureList({ features }: { features: Feature[] }) {
  if (features.length === 0) {
    return <EmptyState title="No features yet" hint="Features you add here are queued for the agents." />;
  }
  const groups = FEATURE_STATUSES.map((status) => ({
    status,
    items: features.filter((f) => f.status === status),
  })).filter((g) => g.items.length > 0);
  return (
    <div className="space-y-6">
      {groups.map(({ status, items }) => (
        <section key={status} aria-label={STATUS_LABEL[status]}>
          <h2 className="mb-2 flex items-center gap-2 text-sm font-semibold text-muted">
            <Badge tone={STATUS_TONE[status]}>{STATUS_LABEL[status]}</Badge>
            <span>{items.length}</span>
          </h2>
          <Card>
            <ul className="divide-y divide-line">
              {items.map((feature) => (
                <FeatureRow key={feature.id} feature={feature} />
              ))}
            </ul>
          </Card>
        </section>
      ))}
    </div>
  );
}

function FeatureRow({ feature }: { feature: Feature }) {
  return (
    <li data-testid="feature-row" className="flex items-center gap-3 px-4 py-3">
      <span className="w-20 shrink-0 font-mono text-xs text-muted">{feature.key}</span>
      <span className="min-w-0 flex-1 truncate text-sm font-medium">{feature.title}</span>
      {feature.category ? <Badge>{feature.category}</Badge> : null}
      {feature.dependsOn.length > 0 ? (
        <span className="text-xs text-muted" title="Dependencies">
          ⇢ {feature.dependsOn.length}
        </span>
      ) : null}
      <Badge tone={PRIORITY_TONE[feature.priority]}>{PRIORITY_LABEL[feature.priority]}</Badge>
    </li>
  );
}
