import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AgentRole, RunSpec } from '@omakase/api-contract';
import { projectCommandsOf, ROLE_PROJECT_COMMANDS, roleSubmitTool } from './tool-policy';

const ROLES_DIR = fileURLToPath(new URL('../roles', import.meta.url));

/** The role's CLAUDE.md, appended to the system prompt. */
export const loadRoleInstructions = (role: AgentRole) => readFile(`${ROLES_DIR}/${role}/CLAUDE.md`, 'utf8');

const TASKS: Record<AgentRole, string> = {
  architect: 'Plan the implementation of this feature. Do not change any file.',
  coder: 'Implement this feature on the branch so that the test command passes.',
  reviewer: 'Review the changes on the branch against the feature and its acceptance criteria.',
  tester:
    'Run the test command, add tests for uncovered acceptance criteria if needed, and report the real results.',
};

/**
 * The first user message. Its first line carries the role marker and its labelled lines
 * (`Feature:`, `Workspace:`, …) form the brief the scripted model server reads too.
 */
export function buildPrompt(spec: RunSpec, workspace: string, diffStat: string | null): string {
  const { run, feature, project } = spec;
  const testCommand = project.testCommand ?? 'not configured';
  const lines = [
    `[omakase-role:${run.role}]`,
    TASKS[run.role],
    '',
    `Feature: ${feature.key} — ${oneLine(feature.title)}`,
    `Workspace: ${workspace}`,
    `Branch: ${spec.workspace.branch}`,
    `Base branch: ${project.defaultBranch}`,
    `Test command: ${testCommand}`,
    `Attempt: ${run.attempt}`,
    '',
    'Description:',
    feature.description.trim() || '(none)',
    '',
    'Acceptance criteria:',
    ...(feature.acceptanceCriteria.length > 0
      ? feature.acceptanceCriteria.map((c) => `- ${oneLine(c)}`)
      : ['- (none given)']),
    '',
  ];
  const { plan, review, testReport, humanAnswer } = run.input;
  if (plan)
    lines.push(
      '## Plan (from the architect)',
      plan.summary,
      `Files: ${plan.files.join(', ') || '(none listed)'}`,
      ...plan.steps.map((step, index) => `${index + 1}. ${oneLine(step)}`),
      ...(plan.risks.length > 0 ? [`Risks: ${plan.risks.map(oneLine).join('; ')}`] : []),
      '',
    );
  if (review)
    lines.push(
      `## Previous review (${review.verdict})`,
      ...review.comments.map((c) => `- ${c.file}${c.line ? `:${c.line}` : ''}: ${oneLine(c.body)}`),
      '',
    );
  if (testReport)
    lines.push(
      `## Previous test report (${testReport.failed} of ${testReport.total} failed)`,
      ...testReport.failures.map((f) => `- ${oneLine(f.name)}: ${oneLine(f.message)}`),
      '',
    );
  if (humanAnswer) lines.push('## Answer from a human', humanAnswer.trim(), '');
  if (diffStat !== null)
    lines.push(
      `## Changes on the branch (git diff --stat ${project.defaultBranch}...HEAD)`,
      diffStat.trim() || '(no changes)',
      '',
    );
  lines.push(...allowedCommands(spec), '');
  const submit = roleSubmitTool(run.role);
  lines.push(
    submit
      ? `When you are done, call ${submit} exactly once.`
      : 'When you are done, end with a short summary; the runner commits your changes.',
  );
  return lines.join('\n');
}

/** What the shell guard rail (bash-policy.ts) lets this role run, stated as the rules are. */
function allowedCommands(spec: RunSpec): string[] {
  const role = spec.run.role;
  const develop = role === 'coder' || role === 'tester';
  const commands = projectCommandsOf(spec.project);
  const own = ROLE_PROJECT_COMMANDS[role].flatMap((name) =>
    commands[name] ? [`- ${name}: \`${oneLine(commands[name])}\``] : [],
  );
  return [
    '## Allowed commands',
    "Bash commands are parsed and checked before they run. The project's commands for your role:",
    ...(own.length > 0 ? own : ['- (none configured)']),
    ...(develop && spec.project.commandAllowlist.length > 0
      ? [
          "The project's allowlist (word prefixes):",
          ...spec.project.commandAllowlist.map((c) => `- ${oneLine(c)}`),
        ]
      : []),
    '- Read-only tools: ls, cat, head, tail, wc, grep, rg, find (without -exec/-delete), sed -n, awk, sort, diff, jq;',
    '  read-only git: status, diff, log, show, grep, blame, rev-parse, ls-files, branch --list.',
    ...(develop
      ? [
          '- Development tools: node, python3, pytest, npm/pnpm/yarn test and run, npx / npm exec for local',
          '  binaries (e.g. `npx tsc --noEmit`), test runners and linters, make.',
        ]
      : []),
    ...(role === 'coder'
      ? ['- mkdir, touch, cp, mv, rm, tee and `sed -i` on paths inside the workspace.']
      : []),
    '- Pipes, `2>&1`, `&&` / `||` / `;` chains and `cd` inside the workspace work; quoted text is never an operator.',
    develop
      ? '- Output redirections (`>`, `>>`) may write inside the workspace, never under `.git`.'
      : '- You do not write files: redirect output only to /dev/null.',
    '- Refused: `$(…)` and backticks, `<(…)`, `eval`, `&` (use run_in_background), if/for/while, variables',
    '  other than HOME and PWD (write values out), paths outside the workspace. Never allowed: git push,',
    '  remote, config, -c, submodule, credential, fetch; network tools (curl, wget, ssh, …); sudo; publishing.',
    '  A refused command comes back with the reason: change the command, do not repeat it.',
  ];
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
