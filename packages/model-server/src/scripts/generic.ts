/**
 * Any repository that is not our demo (no `## Features` list in its README.md): the scripted
 * agents do what works everywhere — the coder writes a notes file for the feature, the tester
 * adds a pytest test where the test command is pytest — and both run the project's own test
 * command, whatever framework is behind it. Enough to drive the real pipeline on real projects.
 */
import type { Brief } from '../brief';
import type { ToolResult } from '../request';
import { say, type Turn, use } from '../turn';
import { featureFiles, inWorkspace } from './common';

/** The README read that opens every coder run tells the demo from any other repository. */
export const isDemoReadme = (result: ToolResult | undefined) =>
  !!result && result.text.includes('## Features');

export const notesPath = (brief: Brief) => `omakase-notes/${featureFiles(brief).slug}.md`;

export function genericCoderSteps(brief: Brief): (() => Turn)[] {
  const criteria = brief.acceptanceCriteria.length > 0 ? brief.acceptanceCriteria : [brief.featureTitle];
  const round = brief.hasPreviousTestReport
    ? 'Addressed the failing tests.'
    : brief.previousReview
      ? `Addressed the review: ${brief.previousReview.map((c) => c.body).join('; ')}`
      : 'First implementation.';
  return [
    () => ({
      blocks: [
        say(`Writing ${notesPath(brief)}.`),
        use('Write', {
          file_path: inWorkspace(brief, notesPath(brief)),
          content: [
            `# ${brief.featureKey}: ${brief.featureTitle}`,
            '',
            ...criteria.map((c) => `- [x] ${c}`),
            '',
            round,
            '',
          ].join('\n'),
        }),
      ],
    }),
  ];
}

/** pytest collects `test_*.py` from the rootdir: a test that the feature's notes exist. */
export function genericTesterSteps(brief: Brief): (() => Turn)[] {
  if (!/\bpytest\b/.test(brief.testCommand)) return [];
  const name = featureFiles(brief).slug.replace(/-/g, '_');
  return [
    () => ({
      blocks: [
        say('Adding a test for the feature.'),
        use('Write', {
          file_path: inWorkspace(brief, `test_omakase_${name}.py`),
          content: [
            'import pathlib',
            '',
            '',
            `def test_${name}_is_documented():`,
            `    notes = pathlib.Path(__file__).parent / ${JSON.stringify(notesPath(brief))}`,
            `    assert ${JSON.stringify(brief.featureKey)} in notes.read_text()`,
            '',
          ].join('\n'),
        }),
      ],
    }),
  ];
}
