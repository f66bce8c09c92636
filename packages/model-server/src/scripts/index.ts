import { parseBrief } from '../brief';
import { assistantTurns, type MessagesRequest, systemText, toolResults, userText } from '../request';
import { say, type Turn } from '../turn';
import { architectTurn } from './architect';
import { coderTurn } from './coder';
import { injectedTurns } from './injected';
import { reviewerTurn } from './reviewer';
import { testerTurn } from './tester';

const SLOW_TURN_MS = 60_000;
const SLOW_CHUNK_PAUSE_MS = 250;

/** The scripted answer to one request: stateless, derived from the conversation alone. */
export function scriptedTurn(request: MessagesRequest): Turn {
  const brief = parseBrief(`${userText(request)}\n${systemText(request)}`);
  const all = { brief, step: assistantTurns(request), results: toolResults(request) };
  // Planted steps come first; the role's own script then sees only its own turns and results.
  const planted = brief.role ? injectedTurns(brief.injected[brief.role], brief.workspace) : [];
  if (all.step < planted.length) return planted[all.step]!();
  const ctx = { ...all, step: all.step - planted.length, results: all.results.slice(planted.length) };
  if (brief.markers.has('slow') && ctx.step === 1) {
    // After one ordinary turn (so the run has visibly started), one long streamed thought of
    // ~60 s unless the client goes away: for stop/cancel tests.
    const chunks = Math.ceil(SLOW_TURN_MS / SLOW_CHUNK_PAUSE_MS);
    return { blocks: [say('Thinking very carefully. '.repeat(chunks * 2))], pauseMs: SLOW_CHUNK_PAUSE_MS };
  }
  switch (brief.role) {
    case 'architect':
      return architectTurn(ctx);
    case 'coder':
      return coderTurn(ctx);
    case 'reviewer':
      return reviewerTurn(ctx);
    case 'tester':
      return testerTurn(ctx);
    default:
      return { blocks: [say('I have no scripted task for this conversation.')] };
  }
}
