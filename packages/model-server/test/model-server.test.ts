import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelServer, parseBrief, parseTestOutput, startModelServer } from '../src/index';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ logger: pino({ level: 'silent' }) });
});
afterAll(() => server.stop());

const brief = (role: string, extra = '') =>
  `[omakase-role:${role}]\nFeature: DEMO-3 — Add gift wrapping ${extra}\nWorkspace: /tmp/ws\nBase branch: main\nTest command: npm test\n\nAcceptance criteria:\n- Costs 3.50\n- Optional\n`;

const post = (body: unknown) =>
  fetch(`${server.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'placeholder' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 32000, ...(body as object) }),
  });

function parseSse(text: string) {
  return text
    .trim()
    .split('\n\n')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) };
    });
}

describe('scripted Messages API', () => {
  it('streams a tool_use turn with the Anthropic SSE event sequence and usage', async () => {
    const response = await post({ stream: true, messages: [{ role: 'user', content: brief('architect') }] });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await response.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const toolStart = events.find((e) => e.data.content_block?.type === 'tool_use');
    expect(toolStart?.data.content_block.name).toBe('Glob');
    const json = events
      .filter((e) => e.data.delta?.type === 'input_json_delta')
      .map((e) => e.data.delta.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ pattern: 'src/**/*.js' });
    const delta = events.find((e) => e.event === 'message_delta')!.data;
    expect(delta.delta.stop_reason).toBe('tool_use');
    expect(delta.usage.output_tokens).toBeGreaterThan(0);
    expect(events[0]!.data.message.usage.input_tokens).toBeGreaterThan(0);
  });

  it('advances by the turns already taken and answers JSON when not streaming', async () => {
    const messages = [
      { role: 'user', content: brief('reviewer', '[script:reject]') },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: '+++ b/src/features/x.js\n@@ -0,0 +1,2 @@\n+// x\n+export function x() {',
          },
        ],
      },
    ];
    const body = (await (await post({ stream: false, messages })).json()) as {
      content: { type: string; name?: string; input?: unknown }[];
      stop_reason: string;
    };
    const call = body.content.find((block) => block.type === 'tool_use');
    expect(call?.name).toBe('mcp__omakase__submit_review');
    expect(call?.input).toMatchObject({ verdict: 'REJECT', comments: [{ file: 'src/features/x.js' }] });
    expect(body.stop_reason).toBe('tool_use');
  });

  it('answers unknown routes with an Anthropic-shaped 404', async () => {
    const response = await fetch(`${server.url}/v1/unknown`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('prompt and output parsing', () => {
  it('reads the brief, markers and a previous review', () => {
    const parsed = parseBrief(
      `${brief('coder', '[script:fail-tests]')}\n## Previous review (REQUEST_CHANGES)\n- src/a.js:7: Document it.\n`,
    );
    expect(parsed).toMatchObject({
      role: 'coder',
      featureKey: 'DEMO-3',
      featureTitle: 'Add gift wrapping',
      acceptanceCriteria: ['Costs 3.50', 'Optional'],
      previousReview: [{ file: 'src/a.js', line: 7, body: 'Document it.' }],
    });
    expect([...parsed.markers]).toEqual(['fail-tests']);
  });

  it("reads Node's TAP summary and failures", () => {
    const tap =
      "not ok 2 - DEMO-3: covers\n  ---\n  error: 'Expected values to be strictly equal'\n  ...\n# tests 8\n# pass 7\n# fail 1\n";
    expect(parseTestOutput(tap)).toEqual({
      total: 8,
      passed: 7,
      failed: 1,
      failures: [{ name: 'DEMO-3: covers', message: 'Expected values to be strictly equal' }],
    });
    expect(parseTestOutput('npm ERR! missing script')).toBeNull();
  });
});

describe('planted script steps', () => {
  const planted = (role: string) =>
    `${brief(role)}\nDescription:\nx\n\`\`\`omakase-script ${role}\n[{"tool":"Bash","input":{"command":"ls {{workspace}}"}}]\n\`\`\`\n`;

  it('plays the steps planted for the role first, with the workspace filled in', () => {
    const parsed = parseBrief(planted('coder'));
    expect(parsed.injected.coder).toEqual([{ tool: 'Bash', input: { command: 'ls {{workspace}}' } }]);
    expect(parsed.injected.tester).toBeUndefined();
  });

  it('then hands over to the role script, which sees only its own turns', async () => {
    const first = await post({ messages: [{ role: 'user', content: planted('tester') }] });
    const firstBody = await first.json();
    expect(firstBody.content.find((b: { type: string }) => b.type === 'tool_use').input).toEqual({
      command: 'ls /tmp/ws',
    });
    const second = await post({
      messages: [
        { role: 'user', content: planted('tester') },
        { role: 'assistant', content: firstBody.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'x', content: 'README.md' }],
        },
      ],
    });
    const tool = (await second.json()).content.find((b: { type: string }) => b.type === 'tool_use');
    expect(tool.input).toEqual({ command: 'npm test' });
  });

  it('ignores a malformed block', () => {
    expect(parseBrief('```omakase-script coder\nnot json\n```').injected).toEqual({});
  });
});
