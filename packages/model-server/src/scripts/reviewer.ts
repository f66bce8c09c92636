import { say, type Turn, use } from '../turn';
import { play, type ScriptContext, SUBMIT_TOOLS, submit } from './common';

export function reviewerTurn(ctx: ScriptContext): Turn {
  const { brief } = ctx;
  return play(
    ctx,
    [
      () => ({
        blocks: [
          say(`Reviewing the branch against ${brief.baseBranch}.`),
          use('Bash', { command: `git diff ${brief.baseBranch}...HEAD` }),
        ],
      }),
      () => {
        const review = decide(ctx);
        return { blocks: [say(review.reasoning), submit(ctx, SUBMIT_TOOLS.review, review.input)] };
      },
    ],
    () => 'Review submitted.',
  );
}

function decide(ctx: ScriptContext) {
  const diff = ctx.results[0]?.text ?? '';
  const target = firstExportedFunction(diff);
  if (ctx.brief.markers.has('reject'))
    return {
      reasoning: 'This change does not match the ticket at all; it should be re-planned.',
      input: {
        verdict: 'REJECT',
        comments: [{ file: target.file, body: 'The change does not implement the acceptance criteria.' }],
      },
    };
  if (ctx.brief.previousReview)
    return {
      reasoning: 'The previous comment is addressed and the tests cover the acceptance criteria.',
      input: { verdict: 'APPROVE', comments: [] },
    };
  return {
    reasoning: 'The change is small and tested, but its public function is undocumented.',
    input: {
      verdict: 'REQUEST_CHANGES',
      comments: [
        {
          file: target.file,
          ...(target.line ? { line: target.line } : {}),
          body: 'Document the exported function with a JSDoc block (what it returns and in which order).',
        },
      ],
    },
  };
}

/** The first added `export function` in the diff's first source file, with its new line number. */
export function firstExportedFunction(diff: string): { file: string; line: number | null } {
  let file = '';
  let line = 0;
  let fallback = '';
  for (const text of diff.split('\n')) {
    const header = /^\+\+\+ b\/(.+)$/.exec(text);
    if (header) {
      file = header[1]!;
      fallback ||= file;
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!file.startsWith('src/') || text.startsWith('-')) continue;
    if (text.startsWith('+export function')) return { file, line };
    if (text.startsWith('+') || text.startsWith(' ')) line += 1;
  }
  return { file: fallback || 'README.md', line: null };
}
