/**
 * The work catalog: every kind of orchestrator work item, declared once with the shape of its
 * subject and payload and how many attempts it gets. The SQL triggers of the migrations enqueue
 * some of these kinds too (`linear.feature`); a test reads them back from the SQL.
 */
import { isId, OmakaseError, type WorkItem } from '@omakase/domain';
import { z } from 'zod';

const idOf = (prefix: 'proj' | 'run' | 'feat') =>
  z.string().refine((value) => isId(prefix, value), `must be a ${prefix}_ id`);
/** `<orgId>/<id>`: Linear subjects are scoped by org, so two orgs never share an item. */
const orgScoped = z.string().regex(/^org_[0-9a-z]{26}\/.+$/, 'must be <org id>/<id>');
const noPayload = z.object({}).strict();

interface WorkDefinition {
  subject: z.ZodType<string>;
  payload: z.ZodType<Record<string, unknown>>;
  /**
   * Tries (with the worker's backoff in between, 0.5 s doubling to a minute) before the item
   * ends as a dead letter that an admin can see and retry.
   */
  maxAttempts: number;
}

export const WORK_CATALOG = {
  /** subject: projectId — start ready features of the project within capacity. */
  'project.schedule': { subject: idOf('proj'), payload: noPayload, maxAttempts: 10 },
  /** subject: runId — start compute for a queued run; its lease is held while the run lives. */
  'run.launch': { subject: idOf('run'), payload: noPayload, maxAttempts: 8 },
  /** subject: runId — apply a finished run's outcome to its feature's pipeline. */
  'run.completed': { subject: idOf('run'), payload: noPayload, maxAttempts: 10 },
  /** subject: featureId — push the tested branch (and open a pull request). */
  'feature.push': {
    subject: idOf('feat'),
    payload: z.object({ attempt: z.number().int().positive().default(1) }).strict(),
    maxAttempts: 10,
  },
  /** subject: projectId — read the project's commands from its repository (created, URL or branch changed). */
  'project.detect': { subject: idOf('proj'), payload: noPayload, maxAttempts: 5 },
  // Linear outages last: its items are tried for about a quarter of an hour.
  /** subject: `<orgId>/<linear issue id>` — apply its inbox deliveries in order. */
  'linear.inbox': { subject: orgScoped, payload: noPayload, maxAttempts: 20 },
  /** subject: `<orgId>/<linear issue id>` — send its outbox updates in order. */
  'linear.outbox': { subject: orgScoped, payload: noPayload, maxAttempts: 20 },
  /** subject: `<orgId>/<featureId>` — reflect the feature's progress to its Linear issue (SQL trigger). */
  'linear.feature': { subject: orgScoped, payload: noPayload, maxAttempts: 20 },
} as const satisfies Record<string, WorkDefinition>;

export type WorkKind = keyof typeof WORK_CATALOG;
export type WorkPayload<K extends WorkKind> = z.output<(typeof WORK_CATALOG)[K]['payload']>;

/** Short names for the kinds the engine enqueues. */
export const WORK = {
  schedule: 'project.schedule',
  launch: 'run.launch',
  completed: 'run.completed',
  push: 'feature.push',
  detect: 'project.detect',
} as const satisfies Record<string, WorkKind>;

export const LINEAR_WORK_KINDS = [
  'linear.inbox',
  'linear.outbox',
  'linear.feature',
] as const satisfies WorkKind[];

export type LinearWorkKind = (typeof LINEAR_WORK_KINDS)[number];
export const isLinearWorkKind = (kind: WorkKind): kind is LinearWorkKind =>
  (LINEAR_WORK_KINDS as readonly WorkKind[]).includes(kind);

export const isWorkKind = (kind: string): kind is WorkKind => Object.hasOwn(WORK_CATALOG, kind);

export const maxAttemptsOf = (kind: WorkKind): number => WORK_CATALOG[kind].maxAttempts;

/** A claimed item whose subject and payload were checked against its kind's declaration. */
export type TypedWorkItem<K extends WorkKind = WorkKind> = {
  [Kind in K]: Omit<WorkItem, 'kind' | 'payload'> & { kind: Kind; payload: WorkPayload<Kind> };
}[K];

/** An item no handler can ever process (unknown kind, bad subject or payload): retrying cannot help. */
export class MalformedWorkItem extends OmakaseError<'malformed_work_item'> {
  override readonly name = 'MalformedWorkItem';
  constructor(message: string) {
    super('malformed_work_item', message);
  }
}

export function parseWorkItem(item: WorkItem): TypedWorkItem {
  if (!isWorkKind(item.kind)) throw new MalformedWorkItem(`unknown work kind ${item.kind}`);
  const definition: WorkDefinition = WORK_CATALOG[item.kind];
  const subject = definition.subject.safeParse(item.subjectId);
  if (!subject.success)
    throw new MalformedWorkItem(`${item.kind}: subject ${subject.error.issues[0]?.message ?? 'is invalid'}`);
  const payload = definition.payload.safeParse(item.payload ?? {});
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new MalformedWorkItem(
      `${item.kind}: payload ${issue?.path.join('.') || '(root)'} ${issue?.message}`,
    );
  }
  return { ...item, kind: item.kind, payload: payload.data } as TypedWorkItem;
}
