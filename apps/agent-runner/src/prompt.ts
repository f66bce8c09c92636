import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AgentRole, RunSpec } from '@omakase/api-contract';
import { roleSubmitTool } from './tool-policy';

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
  if (run.role === 'coder' || run.role === 'tester')
    lines.push('## Allowed commands (prefix match)', ...project.commandAllowlist.map((c) => `- ${c}`), '');
  const submit = roleSubmitTool(run.role);
  lines.push(
    submit
      ? `When you are done, call ${submit} exactly once.`
      : 'When you are done, end with a short summary; the runner commits your changes.',
  );
  return lines.join('\n');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
