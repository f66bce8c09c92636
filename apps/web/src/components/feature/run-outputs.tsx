'use client';
/** The latest architect plan, review and test report, read from the runs' structured outputs (zod-checked). */
import { planSchema, type RunDto, reviewSchema, testReportSchema } from '@omakase/api-contract';
import { Mascot } from '../mascot';
import { Card } from '../ui';

function latest(runs: RunDto[], role: RunDto['role']) {
  return runs.filter((r) => r.role === role && r.output).at(-1);
}

export function RunOutputs({ runs }: { runs: RunDto[] }) {
  // The runner contract's schemas: what the engine accepted as the stage's verdict is what shows here.
  const plan = planSchema.safeParse(latest(runs, 'architect')?.output);
  const review = reviewSchema.safeParse(latest(runs, 'reviewer')?.output);
  const tests = testReportSchema.safeParse(latest(runs, 'tester')?.output);
  if (!plan.success && !review.success && !tests.success) return null;
  return (
    <div className="grid gap-4 xl:grid-cols-3">
      {plan.success ? (
        <Card className="p-4">
          <Title agent="architect" text="Architect's plan" />
          <p className="whitespace-pre-wrap text-sm" data-testid="plan">
            {plan.data.summary}
          </p>
          <ol className="mt-2 list-inside list-decimal text-sm text-muted">
            {plan.data.steps.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are static text
              <li key={i}>{s}</li>
            ))}
          </ol>
        </Card>
      ) : null}
      {review.success ? (
        <Card className="p-4">
          <Title agent="reviewer" text={`Review: ${review.data.verdict.replace('_', ' ').toLowerCase()}`} />
          {review.data.comments.length === 0 ? <p className="text-sm text-muted">No comments.</p> : null}
          <ul className="space-y-1 text-sm">
            {review.data.comments.map((c) => (
              <li key={`${c.file}:${c.line}:${c.body}`}>
                <span className="font-mono text-xs text-muted">
                  {c.file}
                  {c.line === undefined ? '' : `:${c.line}`}
                </span>{' '}
                {c.body}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {tests.success ? (
        <Card className="p-4">
          <Title agent="tester" text={tests.data.passed ? 'Tests passed' : 'Tests failed'} />
          <p className="text-sm">
            {tests.data.total - tests.data.failed}/{tests.data.total} passing
          </p>
          <ul className="mt-1 space-y-1 text-sm text-danger">
            {tests.data.failures.map((f) => (
              <li key={f.name}>
                <span className="font-medium">{f.name}</span>: {f.message}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}

function Title({ agent, text }: { agent: 'architect' | 'reviewer' | 'tester'; text: string }) {
  return (
    <h3 className="mb-2 flex items-center gap-2 font-semibold">
      <Mascot agent={agent} size={24} label={false} /> {text}
    </h3>
  );
}
