import { describe, expect, it } from 'vitest';
import { ROLES } from '../src/entities';
import { ACTIONS, authorize, can, POLICY } from '../src/rbac';

describe('rbac', () => {
  it('viewer reads only', () => {
    expect(POLICY.viewer).toEqual(['org:read', 'project:read', 'feature:read', 'run:read']);
    expect(can('viewer', 'feature:create')).toBe(false);
    expect(can('viewer', 'run:start')).toBe(false);
  });

  it('member edits features, starts/stops runs and answers, but does not manage projects', () => {
    for (const action of [
      'feature:create',
      'feature:update',
      'run:start',
      'run:stop',
      'feature:answer',
    ] as const) {
      expect(can('member', action)).toBe(true);
    }
    for (const action of ['project:create', 'settings:update', 'secret:manage', 'audit:read'] as const) {
      expect(can('member', action)).toBe(false);
    }
  });

  it('admin manages projects, settings, integrations, secrets and reads audit, but not members', () => {
    for (const action of [
      'project:delete',
      'settings:update',
      'integration:manage',
      'secret:manage',
      'audit:read',
    ] as const) {
      expect(can('admin', action)).toBe(true);
    }
    expect(can('admin', 'member:invite')).toBe(false);
  });

  it('owner can do everything', () => {
    expect([...POLICY.owner].sort()).toEqual([...ACTIONS].sort());
  });

  it('each role includes every lower role’s actions', () => {
    const ascending = [...ROLES].reverse(); // viewer, member, admin, owner
    for (let i = 1; i < ascending.length; i++) {
      const lower = POLICY[ascending[i - 1]!];
      const higher = POLICY[ascending[i]!];
      expect(higher.length).toBeGreaterThan(lower.length);
      for (const action of lower) expect(higher).toContain(action);
    }
  });

  it('authorize returns a typed forbidden error', () => {
    expect(authorize('member', 'run:start')).toEqual({ ok: true, value: undefined });
    const denied = authorize('viewer', 'run:stop');
    expect(denied).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { role: 'viewer', action: 'run:stop' } },
    });
    expect(can('intruder' as never, 'org:read')).toBe(false);
  });

  it('the policy cannot be mutated at runtime', () => {
    expect(() => (POLICY.viewer as string[]).push('secret:manage')).toThrow();
    expect(() => {
      (POLICY as Record<string, unknown>).viewer = [];
    }).toThrow();
  });
});
