import type { Brief } from '../brief';
import { say, type Turn, use } from '../turn';
import {
  type FeatureFiles,
  featureFiles,
  inWorkspace,
  parseTestOutput,
  play,
  type ScriptContext,
} from './common';
import { genericCoderSteps, isDemoReadme } from './generic';

export function coderTurn(ctx: ScriptContext): Turn {
  const { brief } = ctx;
  const files = featureFiles(brief);
  const testBrokenly = brief.markers.has('fail-tests') && !brief.hasPreviousTestReport;
  const before = misbehaviour(brief, files);
  // Every run first reads the README; what it says decides the demo script or the generic one.
  const readme = ctx.results[before.length];
  const demo = ctx.step <= before.length || isDemoReadme(readme);
  const work = !demo
    ? genericCoderSteps(brief)
    : brief.hasPreviousTestReport
      ? fixTests(brief, files)
      : brief.previousReview
        ? addressReview(brief, files)
        : implement(brief, files, testBrokenly);
  const steps = [
    ...before,
    readReadme(brief),
    ...work,
    () => ({ blocks: [say('Running the test suite.'), use('Bash', { command: brief.testCommand })] }),
  ];
  return play(ctx, steps, () => {
    const summary = parseTestOutput(ctx.results.at(-1)?.text ?? '');
    const tests = summary
      ? `${summary.passed}/${summary.total} tests pass`
      : 'the test output was unreadable';
    return `${brief.featureKey} is implemented in ${files.modulePath} with tests in ${files.testPath}; ${tests}.`;
  });
}

/** Steps the test markers inject before the real work: each must be blocked by the runner. */
function misbehaviour(brief: Brief, files: FeatureFiles) {
  const steps: (() => Turn)[] = [];
  if (brief.markers.has('escape'))
    steps.push(() => ({
      blocks: [
        say('Writing a scratch note next to the workspace.'),
        use('Write', { file_path: inWorkspace(brief, `../escaped-${files.slug}.txt`), content: 'escaped\n' }),
      ],
    }));
  if (brief.markers.has('forbidden-command'))
    steps.push(() => ({
      blocks: [
        say('Checking the tree and leaving a marker.'),
        use('Bash', { command: `git status && touch ../pwned-${files.slug}.txt` }),
      ],
    }));
  return steps;
}

const readReadme = (brief: Brief) => () => ({
  blocks: [
    say('Reading the README to see how the project is laid out.'),
    use('Read', { file_path: inWorkspace(brief, 'README.md') }),
  ],
});

function implement(brief: Brief, files: FeatureFiles, testBrokenly: boolean) {
  const criteria = brief.acceptanceCriteria.length > 0 ? brief.acceptanceCriteria : [brief.featureTitle];
  return [
    () => ({
      blocks: [
        say(`Creating ${files.modulePath}.`),
        use('Write', {
          file_path: inWorkspace(brief, files.modulePath),
          content: moduleSource(brief, files, criteria),
        }),
      ],
    }),
    () => ({
      blocks: [
        say(`Covering the acceptance criteria in ${files.testPath}.`),
        use('Write', {
          file_path: inWorkspace(brief, files.testPath),
          content: testSource(brief, files, criteria.length + (testBrokenly ? 1 : 0)),
        }),
      ],
    }),
    () => ({
      blocks: [
        use('Edit', {
          file_path: inWorkspace(brief, 'README.md'),
          old_string: '## Features\n',
          new_string: `## Features\n\n- ${brief.featureKey}: ${brief.featureTitle} (\`${files.modulePath}\`)\n`,
        }),
      ],
    }),
  ];
}

function addressReview(brief: Brief, files: FeatureFiles) {
  const comment = brief.previousReview?.[0];
  const target = comment?.file || files.modulePath;
  return [
    () => ({
      blocks: [
        say(`Addressing the review${comment ? `: "${comment.body}"` : ''}.`),
        use('Read', { file_path: inWorkspace(brief, target) }),
      ],
    }),
    () => ({
      blocks: [
        use('Edit', {
          file_path: inWorkspace(brief, target),
          old_string: `export function ${files.functionName}()`,
          new_string: [
            '/**',
            ` * Lists the acceptance criteria of ${brief.featureKey} in ticket order, each with its status.`,
            ' * @returns {{ id: number, criterion: string, done: boolean }[]}',
            ' */',
            `export function ${files.functionName}()`,
          ].join('\n'),
        }),
      ],
    }),
  ];
}

function fixTests(brief: Brief, files: FeatureFiles) {
  const criteria = brief.acceptanceCriteria.length > 0 ? brief.acceptanceCriteria : [brief.featureTitle];
  return [
    () => ({
      blocks: [
        say('The tester reported failures; reading the failing test.'),
        use('Read', { file_path: inWorkspace(brief, files.testPath) }),
      ],
    }),
    () => ({
      blocks: [
        say('The expected count was off by one. Fixing the assertion.'),
        use('Write', {
          file_path: inWorkspace(brief, files.testPath),
          content: testSource(brief, files, criteria.length),
        }),
      ],
    }),
  ];
}

function moduleSource(brief: Brief, files: FeatureFiles, criteria: string[]) {
  return [
    '// @ts-check',
    `// ${brief.featureKey}: ${brief.featureTitle}`,
    '',
    `/** The acceptance criteria of ${brief.featureKey}, as written in the ticket. */`,
    `export const ACCEPTANCE_CRITERIA = Object.freeze(${JSON.stringify(criteria)});`,
    '',
    `export function ${files.functionName}() {`,
    '  return ACCEPTANCE_CRITERIA.map((criterion, index) => ({ id: index + 1, criterion, done: true }));',
    '}',
    '',
  ].join('\n');
}

function testSource(brief: Brief, files: FeatureFiles, expectedCount: number) {
  const key = JSON.stringify(brief.featureKey);
  return [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    `import { ACCEPTANCE_CRITERIA, ${files.functionName} } from '../${files.modulePath}';`,
    '',
    `test(\`\${${key}}: the checklist covers every acceptance criterion\`, () => {`,
    `  const checklist = ${files.functionName}();`,
    `  assert.equal(checklist.length, ${expectedCount});`,
    '  assert.deepEqual(',
    '    checklist.map((item) => item.criterion),',
    '    [...ACCEPTANCE_CRITERIA],',
    '  );',
    '});',
    '',
    `test(\`\${${key}}: every acceptance criterion is done\`, () => {`,
    `  assert.ok(${files.functionName}().every((item) => item.done));`,
    '});',
    '',
  ].join('\n');
}
