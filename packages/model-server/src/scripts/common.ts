import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Brief } from '../brief';
import type { ToolResult } from '../request';
import { say, type Turn, type TurnBlock, use } from '../turn';

export const SUBMIT_TOOLS = {
  plan: 'mcp__omakase__submit_plan',
  review: 'mcp__omakase__submit_review',
  testReport: 'mcp__omakase__submit_test_report',
} as const;

/** What a script sees of the conversation so far. */
export interface ScriptContext {
  brief: Brief;
  /** 0-based index of the turn to play: the number of assistant turns already taken. */
  step: number;
  results: ToolResult[];
}

type Step = () => Turn;

/** Plays `steps[step]`, or a closing text once the script has run out of steps. */
export function play(ctx: ScriptContext, steps: Step[], closing: () => string): Turn {
  const step = steps[ctx.step];
  return step ? step() : { blocks: [say(closing())] };
}

/** A submit call, or — with `[script:bad-verdict]` — one the tool's schema must reject. */
export function submit(ctx: ScriptContext, tool: string, input: Record<string, unknown>): TurnBlock {
  if (!ctx.brief.markers.has('bad-verdict')) return use(tool, input);
  return use(tool, { verdict: 'PROBABLY_FINE', comments: 'n/a', passed: 'yes', summary: 42 });
}

export interface FeatureFiles {
  slug: string;
  modulePath: string;
  testPath: string;
  functionName: string;
}

const words = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 5);

/** Where the scripted coder puts a feature, derived from its title so every role agrees. */
export function featureFiles(brief: Brief): FeatureFiles {
  const titleWords = words(brief.featureTitle);
  const slug = titleWords.join('-') || brief.featureKey.toLowerCase();
  const camel = titleWords.map((word, index) =>
    index === 0 ? word : word[0]!.toUpperCase() + word.slice(1),
  );
  const base = camel.join('') || 'feature';
  return {
    slug,
    modulePath: `src/features/${slug}.js`,
    testPath: `test/${slug}.test.js`,
    functionName: `${/^[0-9]/.test(base) ? `f${base}` : base}Checklist`,
  };
}

export const inWorkspace = (brief: Brief, relative: string) => join(brief.workspace, relative);

export interface TestSummary {
  total: number;
  passed: number;
  failed: number;
  failures: { name: string; message: string }[];
}

/** Reads the counts of Node's test runner (TAP or spec reporter), pytest or uvu; null if none are printed. */
export function parseTestOutput(colored: string): TestSummary | null {
  const output = stripVTControlCharacters(colored);
  const count = (label: string) => {
    const match = new RegExp(`^\\s*(?:#|ℹ)\\s*${label} (\\d+)`, 'm').exec(output);
    return match ? Number(match[1]) : null;
  };
  const total = count('tests');
  if (total === null) return pytestSummary(output) ?? uvuSummary(output);
  const lines = output.split('\n');
  const failures: TestSummary['failures'] = [];
  lines.forEach((text, index) => {
    const match = /^\s*not ok \d+ - (.+)$/.exec(text);
    if (!match) return;
    const errorIndex = lines.slice(index + 1, index + 40).findIndex((next) => /^\s*error:/.test(next));
    const errorLine = errorIndex >= 0 ? lines[index + 1 + errorIndex]!.replace(/^\s*error:\s*/, '') : '';
    const message = /^[|>]-?$/.test(errorLine.trim())
      ? (lines[index + 2 + errorIndex] ?? '').trim()
      : errorLine;
    failures.push({ name: match[1]!.trim(), message: message.replace(/^'|'$/g, '') || 'failed' });
  });
  return { total, passed: count('pass') ?? 0, failed: count('fail') ?? failures.length, failures };
}

/** pytest's closing line: `== 1 failed, 183 passed, 16 skipped in 0.52s ==`. */
function pytestSummary(output: string): TestSummary | null {
  const line = [...output.matchAll(/^=+ (.*\d+ (?:passed|failed|error).*) in [\d.]+s.*=+$/gm)].at(-1)?.[1];
  if (!line) return null;
  const n = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(line)?.[1] ?? 0);
  const failed = n('failed') + n('errors?');
  const failures = [...output.matchAll(/^FAILED (\S+)(?: - (.*))?$/gm)].map((m) => ({
    name: m[1]!,
    message: m[2] ?? 'failed',
  }));
  return { total: n('passed') + failed, passed: n('passed'), failed, failures };
}

/** uvu's closing block: `Total: 44`, `Passed: 44`, `Skipped: 0`. */
function uvuSummary(output: string): TestSummary | null {
  const n = (label: string) => {
    const match = new RegExp(`^\\s*${label}:\\s+(\\d+)\\s*$`, 'm').exec(output);
    return match ? Number(match[1]) : null;
  };
  const total = n('Total');
  const passed = n('Passed');
  if (total === null || passed === null) return null;
  return { total, passed, failed: total - passed - (n('Skipped') ?? 0), failures: [] };
}
