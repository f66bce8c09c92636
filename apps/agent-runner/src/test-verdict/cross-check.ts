/** Compares what the tester model reported with what the platform's own run found. Pure. */
import type { PlatformVerdict } from './verdict';

export interface ModelTestReport {
  passed: boolean;
  total: number;
  failed: number;
}

export interface CrossCheck {
  agrees: boolean;
  disagreements: string[];
}

export function crossCheck(model: ModelTestReport | null, platform: PlatformVerdict): CrossCheck {
  if (!model) return { agrees: false, disagreements: ['the tester did not report a test result'] };
  const disagreements: string[] = [];
  if (model.passed && !platform.passed)
    disagreements.push(`the tester reported passed, ${platformFailure(platform)}`);
  if (!model.passed && platform.passed) {
    disagreements.push(
      `the tester reported a failure, the platform's run found no new failures${explained(platform)}`,
    );
  }
  if (platform.format !== 'exit_code') {
    // The tester may or may not count skipped tests; flaky ones may have passed in its own run.
    const minTotal = platform.total - platform.skipped;
    if (model.total < minTotal || model.total > platform.total) {
      disagreements.push(
        `the tester reported ${model.total} tests, the platform's run had ${range(minTotal, platform.total)}`,
      );
    }
    const minFailed = platform.failed - platform.flaky.length;
    if (model.failed < minFailed || model.failed > platform.failed) {
      disagreements.push(
        `the tester reported ${model.failed} failed, the platform's run failed ${range(minFailed, platform.failed)}`,
      );
    }
  }
  return { agrees: disagreements.length === 0, disagreements };
}

function platformFailure(platform: PlatformVerdict): string {
  if (platform.timedOut) return "the platform's run timed out";
  const n = platform.newFailures.length;
  if (n > 0) {
    const ids = platform.newFailures.slice(0, 5).map((f) => f.id);
    const more = n > ids.length ? `, and ${n - ids.length} more` : '';
    return `the platform's run failed ${n} test${n === 1 ? '' : 's'} (${ids.join(', ')}${more})`;
  }
  return `the platform's run failed: ${platform.reason ?? `exit code ${platform.exitCode}`}`;
}

function explained(platform: PlatformVerdict): string {
  const parts = [
    platform.preExisting.length > 0 ? `${platform.preExisting.length} pre-existing` : '',
    platform.flaky.length > 0 ? `${platform.flaky.length} flaky` : '',
    platform.preExistingSuiteFailure ? 'the suite already failed on the base commit' : '',
    platform.flakySuite ? 'the suite passed on a rerun' : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

const range = (min: number, max: number) => (min === max ? `${max}` : `${Math.max(0, min)}–${max}`);
