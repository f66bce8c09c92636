/**
 * The feature pipeline as a pure state machine: `transition(state, event, limits)` returns the
 * next state and the effects the orchestrator must carry out, or a typed error. No I/O.
 *
 * The stage (`counters.stage`) refines the status: `pushing` runs under status `testing`, and
 * needs_input / failed / cancelled remember the stage to resume. N = limits.
 *
 * | from (status/stage)          | event                           | to                               | effects                                 |
 * |------------------------------|---------------------------------|----------------------------------|-----------------------------------------|
 * | pending                      | start                           | setting_up                       | start_agent(setup)                      |
 * | setting_up                   | setup_ready                     | architecting                     | start_agent(architect, ticket)          |
 * | setting_up                   | setup_failed                    | needs_input ⟶ setting_up         | request_input(setup_failed, log tail)   |
 * | architecting                 | plan_ready                      | coding                           | start_agent(coder, plan)                |
 * | architecting                 | plan_ready, plan approval on    | needs_input ⟶ coding             | request_input(plan_approval)            |
 * | coding                       | code_ready                      | reviewing                        | start_agent(reviewer, code_ready)       |
 * | reviewing                    | review APPROVE                  | testing                          | start_agent(tester, review_approved)    |
 * | reviewing                    | review REQUEST_CHANGES, r < N   | coding, reviewRounds + 1         | start_agent(coder, review_changes)      |
 * | reviewing                    | review REQUEST_CHANGES, r = N   | needs_input ⟶ coding             | request_input(review_limit)             |
 * | reviewing                    | review REJECT                   | needs_input ⟶ architecting       | request_input(rejected)                 |
 * | testing/testing              | test_report passed              | testing/pushing                  | push_branch(1)                          |
 * | testing/testing              | test_report failed, t < N       | coding, testRounds + 1           | start_agent(coder, test_failures)       |
 * | testing/testing              | test_report failed, t = N       | needs_input ⟶ coding             | request_input(test_limit)               |
 * | testing/pushing              | branch_pushed                   | done (terminal)                  | mark_done, unblock_dependants           |
 * | any running stage            | stage_failed, attempt < N       | same stage                       | start_agent(role, attempt+1, retry) or push_branch(attempt+1) |
 * | any running stage            | stage_failed, attempt ≥ N       | failed ⟶ same stage              | mark_failed                             |
 * | agent stage (not pushing)    | budget_exceeded                 | needs_input ⟶ same stage         | stop_agent, request_input(budget)       |
 * | pending, running, needs_input| cancel                          | cancelled ⟶ same stage           | stop_agent when an agent was running    |
 * | pending, running, needs_input, failed | source_removed         | cancelled ⟶ same stage           | stop_agent when an agent was running    |
 * | failed, cancelled            | retry                           | the stage (pending if none)      | start_agent(role, 1, resume) / push_branch(1) |
 * | cancelled (plan unapproved)  | retry                           | needs_input ⟶ coding             | (the plan question stands again)        |
 * | needs_input                  | answer                          | the stage, loop counters reset   | start_agent(role, 1, human_answer) / push_branch(1) |
 * | needs_input (plan_approval)  | answer not approving the plan   | architecting                     | start_agent(architect, 1, human_answer) |
 *
 * "⟶ X" means the state keeps X as the stage to resume. Anything else is `invalid_transition`.
 */
import type { FeatureStatus, PipelineCounters, PipelineStage, RunRole } from './entities';
import { ACTIVE_FEATURE_STATUSES, PIPELINE_STAGES } from './entities';
import { type DomainError, domainError, ok, type Result } from './errors';
import {
  type AgentInput,
  DEFAULT_PIPELINE_LIMITS,
  type Effect,
  type NeedsInputReason,
  type PipelineEvent,
  type PipelineLimits,
  type PipelineState,
  type Transition,
} from './pipeline-events';
import {
  approvesPlan,
  budgetQuestion,
  planApprovalQuestion,
  rejectedQuestion,
  reviewLimitQuestion,
  setupFailedQuestion,
  skipsSetup,
  testLimitQuestion,
} from './pipeline-questions';

export const STAGE_ROLE: Record<PipelineStage, RunRole | null> = {
  setting_up: 'setup',
  architecting: 'architect',
  coding: 'coder',
  reviewing: 'reviewer',
  testing: 'tester',
  pushing: null,
};

/** The status a feature has while the stage runs. */
export const STAGE_STATUS: Record<PipelineStage, FeatureStatus> = {
  setting_up: 'setting_up',
  architecting: 'architecting',
  coding: 'coding',
  reviewing: 'reviewing',
  testing: 'testing',
  pushing: 'testing',
};

const RUNNING_STATUSES: readonly FeatureStatus[] = ACTIVE_FEATURE_STATUSES;
const PAUSED_STATUSES: readonly FeatureStatus[] = ['needs_input', 'failed', 'cancelled'];

export const INITIAL_PIPELINE_STATE: PipelineState = {
  status: 'pending',
  counters: { reviewRounds: 0, testRounds: 0, stage: null },
};

/** Whether an agent or push is in flight for this status. */
export function isRunning(status: FeatureStatus): boolean {
  return RUNNING_STATUSES.includes(status);
}

export function transition(
  state: PipelineState,
  event: PipelineEvent,
  limits: PipelineLimits = DEFAULT_PIPELINE_LIMITS,
): Result<Transition> {
  const normalised = normaliseState(state);
  if (!normalised.ok) return normalised;
  const { status, counters: stored } = normalised.value;
  // `awaiting` belongs to one needs_input: every move drops it, `ask` sets it again.
  const { awaiting, ...counters } = stored;
  const stage = counters.stage ?? null;
  const at = (
    next: Partial<PipelineCounters> & { stage: PipelineStage | null },
    nextStatus?: FeatureStatus,
  ) => ({
    status: nextStatus ?? (next.stage ? STAGE_STATUS[next.stage] : 'pending'),
    counters: { ...counters, ...next },
  });
  const invalid = () => invalidTransition(status, stage, event.type);

  switch (event.type) {
    case 'start':
      if (status !== 'pending') return invalid();
      return run(at({ stage: 'setting_up' }), 1, { kind: 'setup' });

    case 'setup_ready':
      if (stage !== 'setting_up' || status !== 'setting_up') return invalid();
      return run(at({ stage: 'architecting' }), 1, { kind: 'ticket' });

    case 'setup_failed':
      if (stage !== 'setting_up' || status !== 'setting_up') return invalid();
      return ask(
        at({ stage: 'setting_up' }, 'needs_input'),
        'setup_failed',
        setupFailedQuestion(event.exitCode, event.logTail),
      );

    case 'plan_ready':
      if (stage !== 'architecting' || status !== 'architecting') return invalid();
      if (limits.planApproval) {
        return ask(at({ stage: 'coding' }, 'needs_input'), 'plan_approval', planApprovalQuestion(event.plan));
      }
      return run(at({ stage: 'coding' }), 1, { kind: 'plan', plan: event.plan });

    case 'code_ready':
      if (stage !== 'coding' || status !== 'coding') return invalid();
      return run(at({ stage: 'reviewing' }), 1, { kind: 'code_ready', summary: event.summary });

    case 'review': {
      if (stage !== 'reviewing' || status !== 'reviewing') return invalid();
      const { verdict, comments } = event;
      if (verdict === 'APPROVE')
        return run(at({ stage: 'testing' }), 1, { kind: 'review_approved', comments });
      if (verdict === 'REJECT')
        return ask(at({ stage: 'architecting' }, 'needs_input'), 'rejected', rejectedQuestion(comments));
      if (counters.reviewRounds >= limits.maxReviewRounds) {
        const question = reviewLimitQuestion(counters.reviewRounds, comments);
        return ask(at({ stage: 'coding' }, 'needs_input'), 'review_limit', question);
      }
      const next = at({ stage: 'coding', reviewRounds: counters.reviewRounds + 1 });
      return run(next, 1, { kind: 'review_changes', comments });
    }

    case 'test_report': {
      if (stage !== 'testing' || status !== 'testing') return invalid();
      if (event.passed)
        return ok({ state: at({ stage: 'pushing' }), effects: [{ type: 'push_branch', attempt: 1 }] });
      if (counters.testRounds >= limits.maxTestRounds) {
        const question = testLimitQuestion(counters.testRounds, event.failures);
        return ask(at({ stage: 'coding' }, 'needs_input'), 'test_limit', question);
      }
      const next = at({ stage: 'coding', testRounds: counters.testRounds + 1 });
      return run(next, 1, { kind: 'test_failures', failures: event.failures });
    }

    case 'branch_pushed': {
      if (stage !== 'pushing' || status !== 'testing') return invalid();
      const { branchName, pullRequestUrl } = event;
      return ok({
        state: at({ stage: null }, 'done'),
        effects: [{ type: 'mark_done', branchName, pullRequestUrl }, { type: 'unblock_dependants' }],
      });
    }

    case 'stage_failed': {
      if (!isRunning(status) || stage === null) return invalid();
      if (!Number.isInteger(event.attempt) || event.attempt < 1) {
        return domainError(
          'invalid_event',
          `stage_failed needs a positive integer attempt, got ${event.attempt}`,
          {
            field: 'attempt',
          },
        );
      }
      if (event.attempt >= limits.maxStageAttempts) {
        return ok({
          state: at({ stage }, 'failed'),
          effects: [{ type: 'mark_failed', stage, reason: event.reason }],
        });
      }
      const input: AgentInput = { kind: 'retry', previousAttempt: event.attempt, error: event.reason };
      return run(at({ stage }), event.attempt + 1, input);
    }

    case 'budget_exceeded': {
      if (!isRunning(status) || stage === null || stage === 'pushing') return invalid();
      const question = budgetQuestion(stage, event.spentUsd, event.budgetUsd);
      const paused = ask(at({ stage }, 'needs_input'), 'budget', question);
      paused.value.effects.unshift({ type: 'stop_agent' });
      return paused;
    }

    case 'cancel': {
      if (status !== 'pending' && !isRunning(status) && status !== 'needs_input') return invalid();
      const agentRunning = isRunning(status) && stage !== 'pushing';
      // A plan still awaiting approval stays unapproved across a stop (see retry).
      const cancelled = at({ stage, ...(awaiting === 'plan_approval' ? { awaiting } : {}) }, 'cancelled');
      return ok({ state: cancelled, effects: agentRunning ? [{ type: 'stop_agent' }] : [] });
    }

    case 'source_removed': {
      // Done is terminal and cancelled stays as it is: the engine then only drops the link.
      if (status === 'done' || status === 'cancelled') return invalid();
      const agentRunning = isRunning(status) && stage !== 'pushing';
      return ok({ state: at({ stage }, 'cancelled'), effects: agentRunning ? [{ type: 'stop_agent' }] : [] });
    }

    case 'retry':
      if (status !== 'failed' && status !== 'cancelled') return invalid();
      if (stage === null) return ok({ state: at({ stage: null }, 'pending'), effects: [] });
      // Stopped while its plan awaited approval: the question stands again, coding does not start.
      if (awaiting === 'plan_approval')
        return ok({ state: at({ stage, awaiting }, 'needs_input'), effects: [] });
      return run(at({ stage }), 1, { kind: 'resume' });

    case 'answer': {
      if (status !== 'needs_input') return invalid();
      if (stage === null) return invalidState(state, 'needs_input without a stage to resume');
      // A plan sent back goes to the architect with the answer; an approved one on to coding.
      const resume =
        (awaiting === 'plan_approval' && !approvesPlan(event.answer)) ||
        (awaiting === 'setup_failed' && skipsSetup(event.answer))
          ? 'architecting'
          : stage;
      if (resume === 'architecting' && awaiting === 'setup_failed')
        return run(at({ stage: resume, reviewRounds: 0, testRounds: 0 }), 1, { kind: 'ticket' });
      return run(at({ stage: resume, reviewRounds: 0, testRounds: 0 }), 1, {
        kind: 'human_answer',
        answer: event.answer,
      });
    }

    default:
      return domainError(
        'invalid_event',
        `Unknown pipeline event ${JSON.stringify((event as { type?: unknown }).type)}`,
        {
          field: 'type',
        },
      );
  }
}

/** Starts the stage's agent, or the push when the stage is `pushing`. */
function run(state: PipelineState, attempt: number, input: AgentInput): Result<Transition> {
  const stage = state.counters.stage as PipelineStage;
  const role = STAGE_ROLE[stage];
  const effect: Effect = role
    ? { type: 'start_agent', role, attempt, input }
    : { type: 'push_branch', attempt };
  return ok({ state, effects: [effect] });
}

function ask(state: PipelineState, reason: NeedsInputReason, question: string) {
  const asking = { ...state, counters: { ...state.counters, awaiting: reason } };
  return ok({ state: asking, effects: [{ type: 'request_input', reason, question }] as Effect[] });
}

function invalidTransition(status: FeatureStatus, stage: PipelineStage | null, event: string) {
  const where = stage && stage !== status ? `${status} (stage ${stage})` : status;
  return domainError('invalid_transition', `Cannot apply '${event}' to a feature that is ${where}`, {
    details: { status, stage, event },
  });
}

function invalidState(state: PipelineState, why: string): { ok: false; error: DomainError } {
  return domainError('invalid_state', `Inconsistent pipeline state: ${why}`, {
    details: { status: state.status, counters: state.counters },
  });
}

/** Checks the state and fills the stage in for running statuses stored without one. */
export function normaliseState(state: PipelineState): Result<PipelineState> {
  const { status, counters } = state;
  for (const key of ['reviewRounds', 'testRounds'] as const) {
    const value = counters[key];
    if (!Number.isInteger(value) || value < 0)
      return invalidState(state, `${key} must be a non-negative integer`);
  }
  const given = counters.stage ?? null;
  if (given !== null && !PIPELINE_STAGES.includes(given))
    return invalidState(state, `unknown stage ${given}`);
  if (status === 'pending' || status === 'done')
    return ok({ status, counters: { ...counters, stage: null } });
  if (isRunning(status)) {
    const stage = given ?? (status as PipelineStage);
    if (STAGE_STATUS[stage] !== status)
      return invalidState(state, `stage ${stage} cannot run with status ${status}`);
    return ok({ status, counters: { ...counters, stage } });
  }
  if (PAUSED_STATUSES.includes(status)) return ok({ status, counters: { ...counters, stage: given } });
  return invalidState(state, `unknown status ${String(status)}`);
}
