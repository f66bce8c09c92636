import { say, type Turn, use } from '../turn';
import { featureFiles, inWorkspace, play, type ScriptContext, SUBMIT_TOOLS, submit } from './common';

export function architectTurn(ctx: ScriptContext): Turn {
  const { brief } = ctx;
  const files = featureFiles(brief);
  return play(
    ctx,
    [
      () => ({
        blocks: [
          say(`I'll map the project layout before planning ${brief.featureKey}.`),
          use('Glob', { pattern: 'src/**/*.js' }),
        ],
      }),
      () => ({
        blocks: [
          say('The sources are plain modules under src/. Checking how the tests run.'),
          use('Read', { file_path: inWorkspace(brief, 'package.json') }),
        ],
      }),
      () => ({
        blocks: [
          say(
            `Tests run with node:test and need no install. ${brief.featureTitle} fits in one new module ` +
              `with its own test file; the README lists features, so it gets a line too.`,
          ),
          submit(ctx, SUBMIT_TOOLS.plan, {
            summary: `Implement ${brief.featureKey} (${brief.featureTitle}) as a self-contained module in src/features with a node:test suite covering each acceptance criterion.`,
            files: [files.modulePath, files.testPath, 'README.md'],
            steps: [
              `Create ${files.modulePath} exporting ${files.functionName}()`,
              `Cover every acceptance criterion in ${files.testPath}`,
              'List the feature in the README',
              `Run \`${brief.testCommand}\` and keep it green`,
            ],
            risks: ['The checklist must stay in sync with the acceptance criteria of the ticket'],
          }),
        ],
      }),
    ],
    () => 'Plan submitted.',
  );
}
