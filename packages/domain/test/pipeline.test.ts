import { describe, expect, it } from 'vitest';
import { INITIAL_PIPELINE_STATE, transition } from '../src/pipeline';
import { DEFAULT_PIPELINE_LIMITS, type PipelineEvent } from '../src/pipeline-events';
import { approvesPlan } from '../src/pipeline-questions';
import {
  asking,
  codeReady,
  expectInvalid,
  happyPathToTesting,
  requestChanges,
  run,
  stateOf,
  step,
  testsFail,
} from './pipeline-helpers';

describe('pipeline happy path', () => {
  it('runs architect → coder → reviewer → tester → push → done with the right inputs', () => {
    const { state, effects } = run([
      ...happyPathToTesting,
      { type: 'test_report', passed: true, failures: [] },
      { type: 'branch_pushed', branchName: 'omakase/demo-1-x', pullRequestUrl: 'https://pr/1' },
    ]);
    expect(effects).toEqual([
      [{ type: 'start_agent', role: 'setup', attempt: 1, input: { kind: 'setup' } }],
      [{ type: 'start_agent', role: 'architect', attempt: 1, input: { kind: 'ticket' } }],
      [{ type: 'start_agent', role: 'coder', attempt: 1, input: { kind: 'plan', plan: { steps: ['a'] } } }],
      [{ type: 'start_agent', role: 'reviewer', attempt: 1, input: { kind: 'code_ready', summary: 'done' } }],
      [{ type: 'start_agent', role: 'tester', attempt: 1, input: { kind: 'review_approved', comments: [] } }],
      [{ type: 'push_branch', attempt: 1 }],
      [
        { type: 'mark_done', branchName: 'omakase/demo-1-x', pullRequestUrl: 'https://pr/1' },
        { type: 'unblock_dependants' },
      ],
    ]);
    expect(state).toEqual(stateOf('done'));
  });

  it('stays testing (stage pushing) until the branch is pushed', () => {
    const { state } = run([...happyPathToTesting, { type: 'test_report', passed: true, failures: [] }]);
    expect(state).toEqual(stateOf('testing', 'pushing'));
    expectInvalid(stateOf('testing', 'testing'), {
      type: 'branch_pushed',
      branchName: 'b',
      pullRequestUrl: null,
    });
  });

  it('done is terminal', () => {
    for (const event of [{ type: 'start' }, { type: 'cancel' }, { type: 'retry' }, codeReady] as const) {
      expectInvalid(stateOf('done'), event);
    }
  });
});

describe('the ticket is deleted (source_removed)', () => {
  it('is refused for done and cancelled features (the engine only drops their link)', () => {
    expectInvalid(stateOf('done'), { type: 'source_removed' });
    expectInvalid(stateOf('cancelled', 'coding'), { type: 'source_removed' });
  });

  it('cancels unfinished work, stopping a running agent, keeping the stage to resume', () => {
    expect(step(stateOf('coding', 'coding'), { type: 'source_removed' })).toEqual({
      state: stateOf('cancelled', 'coding'),
      effects: [{ type: 'stop_agent' }],
    });
    expect(step(INITIAL_PIPELINE_STATE, { type: 'source_removed' })).toEqual({
      state: stateOf('cancelled'),
      effects: [],
    });
    expect(step(stateOf('failed', 'testing'), { type: 'source_removed' }).state).toEqual(
      stateOf('cancelled', 'testing'),
    );
  });
});

describe('review loop', () => {
  it('sends review comments back to the coder and counts the round', () => {
    const { state, last } = run([...happyPathToTesting.slice(0, 4), requestChanges]);
    expect(state).toEqual(stateOf('coding', 'coding', { r: 1, t: 0 }));
    expect(last).toEqual([
      {
        type: 'start_agent',
        role: 'coder',
        attempt: 1,
        input: { kind: 'review_changes', comments: ['rename x'] },
      },
    ]);
  });

  it('asks a human after maxReviewRounds rework rounds, then resumes coding with the answer', () => {
    const rounds = [requestChanges, codeReady, requestChanges, codeReady, requestChanges, codeReady];
    const { state, last } = run([...happyPathToTesting.slice(0, 4), ...rounds, requestChanges]);
    expect(state).toEqual(asking(stateOf('needs_input', 'coding', { r: 3, t: 0 }), 'review_limit'));
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ type: 'request_input', reason: 'review_limit' });
    expect(last[0]?.type === 'request_input' && last[0].question).toContain('rename x');

    const resumed = step(state, { type: 'answer', answer: 'ignore the naming' });
    expect(resumed.state).toEqual(stateOf('coding', 'coding'));
    expect(resumed.effects).toEqual([
      {
        type: 'start_agent',
        role: 'coder',
        attempt: 1,
        input: { kind: 'human_answer', answer: 'ignore the naming' },
      },
    ]);
  });

  it('honours custom limits', () => {
    const limits = { maxReviewRounds: 1, maxTestRounds: 1, maxStageAttempts: 1 };
    const { state } = run(
      [...happyPathToTesting.slice(0, 4), requestChanges, codeReady, requestChanges],
      undefined,
      limits,
    );
    expect(state.status).toBe('needs_input');
  });

  it('REJECT asks a question built from the comments and resumes at architecting', () => {
    const reject: PipelineEvent = {
      type: 'review',
      verdict: 'REJECT',
      comments: ['wrong layer', 'use the port'],
    };
    const { state, last } = run([...happyPathToTesting.slice(0, 4), reject]);
    expect(state).toEqual(asking(stateOf('needs_input', 'architecting'), 'rejected'));
    const [effect] = last;
    expect(effect?.type === 'request_input' && effect.reason).toBe('rejected');
    expect(effect?.type === 'request_input' && effect.question).toMatch(/wrong layer[\s\S]*use the port/);
    const resumed = step(state, { type: 'answer', answer: 'put it in the domain' });
    expect(resumed.state.status).toBe('architecting');
    expect(resumed.effects[0]).toMatchObject({ role: 'architect', input: { kind: 'human_answer' } });
  });
});

describe('plan approval', () => {
  const plan = {
    summary: 'Add a wishlist store',
    files: ['src/wishlist.js'],
    steps: ['Store', 'Route'],
    risks: [],
  };
  const approval = { ...DEFAULT_PIPELINE_LIMITS, planApproval: true };
  const planned = () => step(stateOf('architecting', 'architecting'), { type: 'plan_ready', plan }, approval);

  it('asks a human to approve the plan before coding, with the plan in the question', () => {
    const { state, effects } = planned();
    expect(state).toEqual(asking(stateOf('needs_input', 'coding'), 'plan_approval'));
    expect(effects).toHaveLength(1);
    const [ask] = effects;
    expect(ask).toMatchObject({ type: 'request_input', reason: 'plan_approval' });
    const question = (ask as { question: string }).question;
    expect(question).toContain('Add a wishlist store');
    expect(question).toMatch(/- Store\n- Route/);
    expect(question).toContain('src/wishlist.js');
  });

  it('an approving answer starts the coder; anything else sends the plan back to the architect', () => {
    const approved = step(planned().state, { type: 'answer', answer: 'Approve' }, approval);
    expect(approved.state).toEqual(stateOf('coding', 'coding'));
    expect(approved.effects).toEqual([
      { type: 'start_agent', role: 'coder', attempt: 1, input: { kind: 'human_answer', answer: 'Approve' } },
    ]);
    const revise = 'Keep the wishlist in the session instead';
    const sentBack = step(planned().state, { type: 'answer', answer: revise }, approval);
    expect(sentBack.state).toEqual(stateOf('architecting', 'architecting'));
    expect(sentBack.effects).toEqual([
      { type: 'start_agent', role: 'architect', attempt: 1, input: { kind: 'human_answer', answer: revise } },
    ]);
    // The revised plan is put to the human again.
    expect(step(sentBack.state, { type: 'plan_ready', plan }, approval).state.status).toBe('needs_input');
  });

  it('a stop does not approve: retrying a feature stopped before approval puts the question again', () => {
    const cancelled = step(planned().state, { type: 'cancel' }, approval);
    expect(cancelled.state).toEqual(asking(stateOf('cancelled', 'coding'), 'plan_approval'));
    const retried = step(cancelled.state, { type: 'retry' }, approval);
    expect(retried).toEqual({
      state: asking(stateOf('needs_input', 'coding'), 'plan_approval'),
      effects: [],
    });
  });

  it('is off by default: the plan goes straight to the coder', () => {
    expect(step(stateOf('architecting', 'architecting'), { type: 'plan_ready', plan }).state).toEqual(
      stateOf('coding', 'coding'),
    );
  });

  it('reads plain approvals, not answers that merely start like one', () => {
    for (const yes of ['approve', 'Approved.', 'yes', 'LGTM!', 'ok', 'go ahead', 'Ship it']) {
      expect(approvesPlan(yes), yes).toBe(true);
    }
    for (const no of [
      'yes, but use the session',
      'ok if you drop step 2',
      'no',
      'approve after fixing X',
      '',
    ]) {
      expect(approvesPlan(no), no).toBe(false);
    }
  });
});

describe('test loop', () => {
  it('sends failures to the coder, then asks after maxTestRounds', () => {
    const back: PipelineEvent[] = [codeReady, { type: 'review', verdict: 'APPROVE', comments: [] }];
    const first = run([...happyPathToTesting, testsFail]);
    expect(first.state).toEqual(stateOf('coding', 'coding', { r: 0, t: 1 }));
    expect(first.last[0]).toMatchObject({
      role: 'coder',
      input: { kind: 'test_failures', failures: ['a.test.ts: expected 1'] },
    });
    const limit = run([...back, testsFail, ...back, testsFail, ...back, testsFail], first.state);
    expect(limit.state).toEqual(asking(stateOf('needs_input', 'coding', { r: 0, t: 3 }), 'test_limit'));
    expect(limit.last[0]).toMatchObject({ type: 'request_input', reason: 'test_limit' });
  });
});

describe('failures, budget, cancel, retry', () => {
  it('retries a crashed stage with the next attempt, then fails after maxStageAttempts', () => {
    const coding = stateOf('coding', 'coding');
    const retried = step(coding, { type: 'stage_failed', attempt: 1, reason: 'OOM' });
    expect(retried.state).toEqual(coding);
    expect(retried.effects).toEqual([
      {
        type: 'start_agent',
        role: 'coder',
        attempt: 2,
        input: { kind: 'retry', previousAttempt: 1, error: 'OOM' },
      },
    ]);
    const failed = step(coding, { type: 'stage_failed', attempt: 3, reason: 'OOM' });
    expect(failed.state).toEqual(stateOf('failed', 'coding'));
    expect(failed.effects).toEqual([{ type: 'mark_failed', stage: 'coding', reason: 'OOM' }]);
    const resumed = step(failed.state, { type: 'retry' });
    expect(resumed.state).toEqual(coding);
    expect(resumed.effects).toEqual([
      { type: 'start_agent', role: 'coder', attempt: 1, input: { kind: 'resume' } },
    ]);
  });

  it('retries a failed push, fails, and resumes the push (not the tester) on retry', () => {
    const pushing = stateOf('testing', 'pushing');
    expect(step(pushing, { type: 'stage_failed', attempt: 1, reason: '403' }).effects).toEqual([
      { type: 'push_branch', attempt: 2 },
    ]);
    const failed = step(pushing, { type: 'stage_failed', attempt: 3, reason: '403' }).state;
    expect(failed).toEqual(stateOf('failed', 'pushing'));
    expect(step(failed, { type: 'retry' })).toEqual({
      state: pushing,
      effects: [{ type: 'push_branch', attempt: 1 }],
    });
  });

  it('budget exceeded stops the agent and resumes the same stage on answer', () => {
    const reviewing = stateOf('reviewing', 'reviewing', { r: 2, t: 1 });
    const paused = step(reviewing, { type: 'budget_exceeded', spentUsd: 5.5, budgetUsd: 5 });
    expect(paused.state).toEqual(asking(stateOf('needs_input', 'reviewing', { r: 2, t: 1 }), 'budget'));
    expect(paused.effects[0]).toEqual({ type: 'stop_agent' });
    expect(paused.effects[1]).toMatchObject({ type: 'request_input', reason: 'budget' });
    expect(paused.effects[1]?.type === 'request_input' && paused.effects[1].question).toContain('$5.50');
    const resumed = step(paused.state, { type: 'answer', answer: 'raised to $10' });
    expect(resumed.state).toEqual(stateOf('reviewing', 'reviewing'));
    expect(resumed.effects[0]).toMatchObject({ role: 'reviewer', input: { kind: 'human_answer' } });
  });

  it('cancel stops a running agent and retry resumes that stage', () => {
    const cancelled = step(stateOf('testing'), { type: 'cancel' });
    expect(cancelled).toEqual({ state: stateOf('cancelled', 'testing'), effects: [{ type: 'stop_agent' }] });
    expect(step(cancelled.state, { type: 'retry' }).effects[0]).toMatchObject({ role: 'tester', attempt: 1 });
  });

  it('cancel from pending and needs_input stops nothing; retry after a pending cancel is pending again', () => {
    const fromPending = step(stateOf('pending'), { type: 'cancel' });
    expect(fromPending).toEqual({ state: stateOf('cancelled'), effects: [] });
    expect(step(fromPending.state, { type: 'retry' })).toEqual({ state: stateOf('pending'), effects: [] });
    expect(step(stateOf('needs_input', 'coding'), { type: 'cancel' }).effects).toEqual([]);
  });
});

describe('invalid input', () => {
  it('names state and event on an invalid transition', () => {
    expectInvalid(stateOf('coding'), { type: 'review', verdict: 'APPROVE', comments: [] });
    expectInvalid(stateOf('pending'), { type: 'answer', answer: 'x' });
    expectInvalid(stateOf('failed', 'coding'), { type: 'cancel' });
    expectInvalid(stateOf('testing', 'pushing'), { type: 'budget_exceeded', spentUsd: 1, budgetUsd: 1 });
    expectInvalid(stateOf('needs_input', 'coding'), { type: 'stage_failed', attempt: 1, reason: 'x' });
  });

  it('rejects inconsistent states and malformed events with typed errors', () => {
    const codes = [
      transition(stateOf('coding', 'testing'), codeReady),
      transition(stateOf('coding', null, { r: -1, t: 0 }), codeReady),
      transition(stateOf('needs_input'), { type: 'answer', answer: 'x' }),
      transition({ status: 'bogus' as never, counters: { reviewRounds: 0, testRounds: 0 } }, codeReady),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['invalid_state', 'invalid_state', 'invalid_state', 'invalid_state']);
    const badAttempt = transition(stateOf('coding'), { type: 'stage_failed', attempt: 0, reason: 'x' });
    expect(badAttempt.ok ? 'ok' : badAttempt.error.code).toBe('invalid_event');
    const unknown = transition(INITIAL_PIPELINE_STATE, { type: 'explode' } as never);
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('invalid_event');
  });

  it('infers the stage of a running status stored without one', () => {
    const legacy = { status: 'reviewing' as const, counters: { reviewRounds: 0, testRounds: 0 } };
    expect(step(legacy, { type: 'review', verdict: 'APPROVE', comments: [] }).state.status).toBe('testing');
  });
});

describe('setup stage', () => {
  const failed: PipelineEvent = { type: 'setup_failed', exitCode: 1, logTail: 'npm ERR! ```oops```' };

  it('a failed setup asks with the fenced log tail; an answer runs the setup again', () => {
    const asked = run([{ type: 'start' }, failed]);
    expect(asked.state).toMatchObject({ status: 'needs_input', counters: { stage: 'setting_up' } });
    const question = asked.last.find((e) => e.type === 'request_input');
    expect(question).toMatchObject({ reason: 'setup_failed' });
    expect((question as { question: string }).question).toContain('````\nnpm ERR! ```oops```\n````');
    const again = step(asked.state, { type: 'answer', answer: 'fixed the command' });
    expect(again.effects).toEqual([
      {
        type: 'start_agent',
        role: 'setup',
        attempt: 1,
        input: { kind: 'human_answer', answer: 'fixed the command' },
      },
    ]);
  });

  it('`skip` goes on to the architect without an environment', () => {
    const asked = run([{ type: 'start' }, failed]);
    const skipped = step(asked.state, { type: 'answer', answer: 'skip' });
    expect(skipped.state).toMatchObject({ status: 'architecting', counters: { stage: 'architecting' } });
    expect(skipped.effects).toEqual([
      { type: 'start_agent', role: 'architect', attempt: 1, input: { kind: 'ticket' } },
    ]);
  });

  it('setup events are invalid outside the setup stage', () => {
    expectInvalid(stateOf('architecting', 'architecting'), { type: 'setup_ready', cached: true });
    expectInvalid(stateOf('coding', 'coding'), failed);
  });
});
