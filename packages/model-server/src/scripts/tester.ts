import { say, type Turn, use } from '../turn';
import { parseTestOutput, play, type ScriptContext, SUBMIT_TOOLS, submit } from './common';
import { genericTesterSteps } from './generic';

export function testerTurn(ctx: ScriptContext): Turn {
  const { brief } = ctx;
  const added = genericTesterSteps(brief);
  return play(
    ctx,
    [
      ...added,
      () => ({
        blocks: [
          say(`Running the project's test command on the feature branch.`),
          use('Bash', { command: brief.testCommand }),
        ],
      }),
      () => {
        const output = ctx.results[added.length]?.text ?? '';
        const summary = parseTestOutput(output) ?? {
          total: 0,
          passed: 0,
          failed: 1,
          failures: [{ name: brief.testCommand, message: output.slice(0, 500) || 'no test output' }],
        };
        const passed = summary.failed === 0 && summary.total > 0;
        return {
          blocks: [
            say(
              `${summary.passed} of ${summary.total} tests pass${passed ? '.' : `; ${summary.failed} fail.`}`,
            ),
            submit(ctx, SUBMIT_TOOLS.testReport, {
              passed,
              total: summary.total,
              failed: summary.failed,
              failures: summary.failures,
            }),
          ],
        };
      },
    ],
    () => 'Test report submitted.',
  );
}
