import { describe, expect, it } from 'vitest';
import { OrgRedactors, REDACTED } from '../src/index';

describe('per-org redaction', () => {
  it("redacts an org's values in its own output only", () => {
    const redactors = new OrgRedactors();
    redactors.set('org_a', 'github_token', 'password123');
    expect(redactors.forOrg('org_a').redactString('pw is password123')).toBe(`pw is ${REDACTED}`);
    expect(redactors.forOrg('org_b').redactString('pw is password123')).toBe('pw is password123');
  });

  it("keeps short values inside their org's output, never in the process-wide log redactor", () => {
    const redactors = new OrgRedactors();
    redactors.set('org_a', 'linear_api_key', 'hunter2');
    expect(redactors.forOrg('org_a').redactString('hunter2!')).toBe(`${REDACTED}!`);
    expect(redactors.forLogs().redactString('hunter2!')).toBe('hunter2!');
    redactors.set('org_a', 'github_token', 'ghp_long_enough_value');
    expect(redactors.forLogs().redactString('x ghp_long_enough_value')).toBe(`x ${REDACTED}`);
  });

  it('drops the old value on rotation and on deletion', () => {
    const redactors = new OrgRedactors();
    redactors.set('org_a', 'github_token', 'old-value-0001');
    redactors.set('org_a', 'github_token', 'new-value-0002');
    const a = redactors.forOrg('org_a');
    expect(a.redactString('old-value-0001 new-value-0002')).toBe(`old-value-0001 ${REDACTED}`);
    expect(redactors.forLogs().redactString('old-value-0001')).toBe('old-value-0001');
    redactors.drop('org_a', 'github_token');
    expect(redactors.forOrg('org_a').redactString('new-value-0002')).toBe('new-value-0002');
  });

  it('replacing the set from the store drops values no longer saved', () => {
    const redactors = new OrgRedactors();
    redactors.set('org_a', 'github_token', 'stale-value-0001');
    redactors.replace('org_a', [['anthropic_api_key', 'fresh-value-0002']], 1234);
    expect(redactors.loadedAt('org_a')).toBe(1234);
    expect(redactors.forOrg('org_a').redactString('stale-value-0001 fresh-value-0002')).toBe(
      `stale-value-0001 ${REDACTED}`,
    );
  });

  it('holds its caps: least recently used orgs and oldest values go first', () => {
    const redactors = new OrgRedactors({ maxOrgs: 3, maxValuesPerOrg: 2 });
    for (let i = 0; i < 10; i++) redactors.set(`org_${i}`, 'github_token', `value-of-org-${i}`);
    expect(redactors.orgCount).toBe(3);
    expect(redactors.forOrg('org_0').size).toBe(0);
    expect(redactors.forOrg('org_9').size).toBe(1);
    redactors.forOrg('org_7'); // used: org_8 is now the least recent
    redactors.set('org_new', 'github_token', 'value-of-new-org');
    expect(redactors.forOrg('org_7').size).toBe(1);
    expect(redactors.forOrg('org_8').size).toBe(0);
    for (let i = 0; i < 5; i++) redactors.set('org_9', `name_${i}`, `value-number-${i}`);
    const nine = redactors.forOrg('org_9');
    expect(nine.size).toBe(2);
    expect(nine.redactString('value-number-4 value-number-0')).toBe(`${REDACTED} value-number-0`);
  });
});
