/**
 * Linear end to end: tickets in the fake Linear → signed webhooks → features → the real pipeline
 * (scripted model server, real runner, local sandboxed processes) → Linear shows the progress.
 */
import { join } from 'node:path';
import type { Feature, OrgId } from '@omakase/domain';
import { createIssue, delegateToApp } from '@omakase/linear-fake';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalProcessDriver } from '../../src/compute/local-process-driver';
import { localRunnerCommand } from '../../src/compute/runner-command';
import { LinearWorker } from '../../src/linear';
import { startOrchestrator } from '../../src/orchestrator';
import { localRunTokens } from '../../src/run-tokens';
import { type Stack, startStack, waitFor } from '../stack';
import { connectFakeLinear, eventually } from './harness';

let stack: Stack;
let linear: Awaited<ReturnType<typeof connectFakeLinear>>;
let orgId: OrgId;

beforeAll(async () => {
  stack = await startStack();
  orgId = stack.project.orgId;
  linear = await connectFakeLinear({ databaseUrl: stack.databaseUrl, orgId, projectId: stack.project.id });
  const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  const worker = new LinearWorker({
    storage: stack.storage,
    linear: linear.linear,
    box: linear.box,
    oauth: linear.oauth,
    apiUrl: `${linear.fake.url}/graphql`,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    orgMaxConcurrentAgents: 10,
    logger,
  });
  stack.orchestrators.push(
    await startOrchestrator({
      storage: stack.storage,
      driver: new LocalProcessDriver({
        runnerCommand: localRunnerCommand(),
        hiddenDirs: [stack.dataDir],
        sandbox: 'auto',
        stopGraceMs: 2000,
        logger,
      }),
      workerId: 'orch-linear',
      leaseMs: 3000,
      apiUrl: stack.web.url,
      runTokens: localRunTokens(stack.runTokenSecret),
      workspacesDir: join(stack.dataDir, 'workspaces'),
      orgMaxConcurrentAgents: 10,
      model: { baseUrl: stack.model.url, apiKey: 'scripted' },
      logger,
      linear: worker,
    }),
  );
});
afterAll(async () => {
  await stack?.close();
  await linear?.close();
});

const featureOf = async (issueId: string): Promise<Feature | null> => {
  const link = await stack.store.linearLinks.get(issueId);
  return link?.featureId ? stack.store.features.get(link.featureId) : null;
};
const finished = (issueId: string) => async () => {
  const feature = await featureOf(issueId);
  return feature && ['done', 'failed', 'needs_input'].includes(feature.status) ? feature : null;
};

describe('Linear tickets through the real pipeline', () => {
  it('a labelled ticket and a delegated one land in Linear: In Progress, plan, reviews, tests, branch, Done', async () => {
    const { fake, team } = linear;
    const criteria = '\n\n- [ ] A product can be added to the wishlist\n- [ ] Duplicates are ignored';
    const labelled = createIssue(fake, {
      teamId: team.id,
      title: 'Add a wishlist',
      description: `Shoppers can save products for later.${criteria}`,
      labels: ['agents'],
    });
    const delegated = createIssue(fake, {
      teamId: team.id,
      title: 'Add gift cards',
      description: 'Shoppers can pay with a gift card.\n\n- [ ] A gift card has a balance',
    });
    const session = delegateToApp(fake, delegated);

    const [a, b] = await Promise.all([
      waitFor(stack.storage, finished(labelled.id), 'labelled ticket done', 400_000),
      waitFor(stack.storage, finished(delegated.id), 'delegated ticket done', 400_000),
    ]);
    expect([a.status, b.status]).toEqual(['done', 'done']);
    expect(a.acceptanceCriteria).toEqual([
      'A product can be added to the wishlist',
      'Duplicates are ignored',
    ]);

    for (const [issue, feature] of [
      [labelled, a],
      [delegated, b],
    ] as const) {
      // The outbox drains after the feature is done: wait for Linear to say Done.
      await eventually(
        async () => fake.ws.states.get(fake.ws.issues.get(issue.id)!.stateId)?.name === 'Done',
        `${feature.key} Done in Linear`,
        30_000,
      );
      const states = fake.ws.stateChanges.filter((c) => c.issueId === issue.id);
      expect(states.map((c) => c.state)).toEqual(['In Progress', 'Done']);
      expect(states.every((c) => c.userId === fake.ws.appUser.id)).toBe(true);

      const comments = fake.ws.comments.filter((c) => c.issueId === issue.id);
      expect(comments.map((c) => c.body.split('\n')[0])).toEqual([
        "**Architect's plan**",
        '**Review summary**',
        '**Review summary**',
        '**Test report**',
      ]);
      expect(comments.every((c) => c.userId === fake.ws.appUser.id && c.body.length > 30)).toBe(true);

      const attachments = fake.ws.attachments.filter((x) => x.issueId === issue.id);
      expect(attachments).toEqual([
        expect.objectContaining({
          title: `Branch ${feature.branchName}`,
          url: `${stack.project.repositoryUrl}#${feature.branchName}`,
        }),
      ]);
    }

    // The delegated issue's agent session streamed the pipeline, in order, ending with a response.
    await eventually(
      async () => fake.ws.activities.some((x) => x.sessionId === session.id && x.content.type === 'response'),
      'final response activity',
    );
    const activities = fake.ws.activities
      .filter((x) => x.sessionId === session.id)
      .map((x) => `${x.content.type}:${x.content.action ?? x.content.body}`);
    expect(activities).toEqual([
      'thought:Omakase picked this up: planning the work.',
      'action:Setting up the environment',
      'action:Running the architect',
      "thought:Architect's plan is on the issue.",
      'action:Running the coder',
      'action:Running the reviewer',
      'thought:Review summary is on the issue.',
      'action:Running the coder',
      'action:Running the reviewer',
      'thought:Review summary is on the issue.',
      'action:Running the tester',
      'thought:Test report is on the issue.',
      `response:Done: ${b.branchName}.`,
    ]);
    // The labelled issue was never delegated: no session, no activities.
    expect([...fake.ws.sessions.values()].filter((s) => s.issueId === labelled.id)).toEqual([]);
  });
});
