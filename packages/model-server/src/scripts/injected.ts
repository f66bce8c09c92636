/**
 * Tool calls a test plants in a feature's description, played by the scripted model before its
 * role's ordinary work. One fenced block per role:
 *
 *     ```omakase-script coder
 *     [{ "tool": "Bash", "input": { "command": "npm test" } }]
 *     ```
 *
 * `{{workspace}}` in any string becomes the run's workspace. This is how the attack suite plays a
 * hostile agent and how generic-repository tests drive a project's own commands.
 */
import { z } from 'zod';
import { AGENT_ROLES, type AgentRole } from '../brief';
import { say, type Turn, use } from '../turn';

const stepSchema = z.object({
  tool: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  say: z.string().optional(),
});
export type InjectedStep = z.infer<typeof stepSchema>;

const BLOCK = /```omakase-script[ \t]+([a-z]+)[ \t]*\n([\s\S]*?)\n```/g;

/** The planted steps per role; malformed blocks are ignored (a real model would ignore them too). */
export function parseInjectedSteps(text: string): Partial<Record<AgentRole, InjectedStep[]>> {
  const steps: Partial<Record<AgentRole, InjectedStep[]>> = {};
  for (const [, role, body] of text.matchAll(BLOCK)) {
    if (!(AGENT_ROLES as readonly string[]).includes(role!)) continue;
    let json: unknown;
    try {
      json = JSON.parse(body!);
    } catch {
      continue;
    }
    const parsed = z.array(stepSchema).safeParse(json);
    if (parsed.success) steps[role as AgentRole] = [...(steps[role as AgentRole] ?? []), ...parsed.data];
  }
  return steps;
}

/** The planted steps as turns, with `{{workspace}}` filled in. */
export function injectedTurns(steps: InjectedStep[] | undefined, workspace: string): (() => Turn)[] {
  return (steps ?? []).map((step) => () => ({
    blocks: [
      say(step.say ?? `Running ${step.tool}.`),
      use(step.tool, fill(step.input, workspace) as Record<string, unknown>),
    ],
  }));
}

function fill(value: unknown, workspace: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{{workspace}}', workspace);
  if (Array.isArray(value)) return value.map((item) => fill(item, workspace));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, workspace)]));
  return value;
}
