import { createIssue, FakeLinear } from '@omakase/linear-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinearGateway, LinearIntegrationError } from '../src';

let fake: FakeLinear;
let team: { id: string };
let apiKey: string;
const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

beforeAll(async () => {
  fake = new FakeLinear();
  await fake.start();
  team = fake.ws.addTeam('ENG');
  apiKey = fake.apiKey();
  for (let i = 1; i <= 250; i++) {
    createIssue(fake, { teamId: team.id, title: `Issue ${i}`, description: `- [ ] criterion ${i}` });
  }
});
afterAll(() => fake?.stop());

const gateway = () =>
  createLinearGateway({ apiUrl: `${fake.url}/graphql`, credentials: async () => ({ apiKey }), retry: fast });

describe('the Linear gateway against the schema-faithful fake', () => {
  it('pages through 250 issues with cursors, with labels and relations in one document per page', async () => {
    const g = gateway();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await g.listIssues({ teamIds: [team.id], after, first: 100 });
      seen.push(...page.issues.map((i) => i.title));
      after = page.hasNextPage ? page.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
    expect(g.stats.requests).toBe(3);
    expect(g.stats.rateLimit?.remaining).toBe(4999);
  });

  it('reads the viewer and workflow states, and writes state, comment, attachment (SDK documents validate)', async () => {
    const g = gateway();
    const viewer = await g.viewer();
    expect(viewer.organizationId).toBe(fake.ws.organization.id);
    const states = await g.teamStates(team.id);
    const inProgress = states.find((s) => s.name === 'In Progress')!;
    const issue = [...fake.ws.issues.values()][0]!;
    await g.setIssueState(issue.id, inProgress.id);
    expect(fake.ws.issues.get(issue.id)!.stateId).toBe(inProgress.id);
    await g.comment(issue.id, 'Plan: do it');
    expect(fake.ws.comments.at(-1)!.body).toBe('Plan: do it');
    await g.linkUrl(issue.id, 'https://example.com/pr/1', 'Pull request');
    expect(fake.ws.attachments.at(-1)!.url).toBe('https://example.com/pr/1');
    const fetched = await g.getIssue(issue.id);
    expect(fetched?.state.name).toBe('In Progress');
  });

  it('backs off and retries after a 429 and after a complexity error, then succeeds', async () => {
    const g = gateway();
    const before = fake.requests;
    fake.failNext('ratelimit');
    fake.failNext('complexity');
    const page = await g.listIssues({ teamIds: [team.id], first: 10 });
    expect(page.issues).toHaveLength(10);
    expect(g.stats.retries).toBe(2);
    expect(fake.requests - before).toBe(3);
  });

  it('gives up with a coded error when the limit persists', async () => {
    const g = gateway();
    fake.failNext('ratelimit', 4);
    await expect(g.listIssues({ teamIds: [], first: 1 })).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(
      createLinearGateway({
        apiUrl: `${fake.url}/graphql`,
        credentials: async () => ({ apiKey: 'wrong' }),
        retry: fast,
      }).viewer(),
    ).rejects.toBeInstanceOf(LinearIntegrationError);
  });
});
