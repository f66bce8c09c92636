import { describe, expect, it } from 'vitest';
import { AuthError, principalFromClaims, RUNNER_CLAIM_PERMISSION, requireMachinePermission } from '../src';

const machine = (permissions: string[]) =>
  principalFromClaims({
    sub: 'warm-a@clients',
    azp: 'warm-a',
    gty: 'client-credentials',
    org_id: 'org_a',
    permissions,
  })!;

describe('requireMachinePermission', () => {
  it('passes a machine token holding the permission', () => {
    expect(() =>
      requireMachinePermission(machine([RUNNER_CLAIM_PERMISSION]), RUNNER_CLAIM_PERMISSION),
    ).not.toThrow();
  });

  it('refuses a machine token without it, and any user token even if it lists it', () => {
    const user = principalFromClaims({
      sub: 'auth0|u1',
      org_id: 'org_a',
      permissions: [RUNNER_CLAIM_PERMISSION],
    })!;
    for (const principal of [machine(['run:start']), user]) {
      expect(() => requireMachinePermission(principal, RUNNER_CLAIM_PERMISSION)).toThrow(AuthError);
      try {
        requireMachinePermission(principal, RUNNER_CLAIM_PERMISSION);
      } catch (error) {
        expect((error as AuthError).code).toBe('forbidden');
      }
    }
  });
});

describe('machine permissions', () => {
  it("come from the token's scope too (an Auth0 API without the permissions claim)", () => {
    const fromScope = principalFromClaims({
      sub: 'orchestrator@clients',
      azp: 'orchestrator',
      gty: 'client-credentials',
      scope: 'runs:mint',
    })!;
    expect(() => requireMachinePermission(fromScope, 'runs:mint')).not.toThrow();
    expect(fromScope.orgExternalId).toBeNull();
  });

  it("never for a user: a user's scope is what was asked for, not what was granted", () => {
    const user = principalFromClaims({ sub: 'auth0|u1', org_id: 'org_a', scope: 'openid runs:mint' })!;
    expect(user.permissions).toEqual([]);
  });
});
