import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROLE_LIMITS,
  fargateSizeProblem,
  limitsFor,
  mergeSettingsPatch,
  roleLimitsWithDefaults,
} from '../src/index';

describe('mergeSettingsPatch', () => {
  it('merges commands per name and roles per field; null clears; lists and runner are replaced', () => {
    const stored = {
      budgetPerFeatureUsd: 5,
      commands: { test: 'npm test', lint: 'npm run lint' },
      roles: { coder: { model: 'claude-a', maxTurns: 80 } },
      egressAllowlist: ['a.example.com'],
      runner: { cpu: 1024, memoryMiB: 2048 },
    };
    const merged = mergeSettingsPatch(stored, {
      commands: { lint: null, build: 'npm run build' },
      roles: { coder: { model: null, wallClockMs: 600_000 }, tester: { maxTurns: 10 } },
      egressAllowlist: ['b.example.com'],
      runner: { cpu: 2048, memoryMiB: 4096 },
    });
    expect(merged).toEqual({
      budgetPerFeatureUsd: 5,
      commands: { test: 'npm test', build: 'npm run build' },
      roles: { coder: { maxTurns: 80, wallClockMs: 600_000 }, tester: { maxTurns: 10 } },
      egressAllowlist: ['b.example.com'],
      runner: { cpu: 2048, memoryMiB: 4096 },
    });
  });

  it('starts from nothing for a row without settings', () => {
    expect(mergeSettingsPatch(null, { commands: { test: 'make test' } })).toEqual({
      commands: { test: 'make test' },
    });
  });
});

describe('role limits', () => {
  it('fills each field a row lacks with its default', () => {
    const roles = roleLimitsWithDefaults({ coder: { maxTurns: 90, model: 'claude-x' } });
    expect(roles.coder).toEqual({ ...DEFAULT_ROLE_LIMITS.coder, maxTurns: 90, model: 'claude-x' });
    expect(roles.tester).toEqual(DEFAULT_ROLE_LIMITS.tester);
    expect(roles.setup).toEqual(DEFAULT_ROLE_LIMITS.setup);
    expect(roleLimitsWithDefaults(undefined)).toEqual(DEFAULT_ROLE_LIMITS);
  });

  it('gives a run its role’s limits, without a model key when none is set', () => {
    const roles = roleLimitsWithDefaults({ reviewer: { model: 'claude-r' } });
    expect(limitsFor(roles, 'reviewer').model).toBe('claude-r');
    expect('model' in limitsFor(roles, 'coder')).toBe(false);
  });
});

describe('fargateSizeProblem', () => {
  it.each([
    [256, 512, null],
    [256, 2048, null],
    [512, 4096, null],
    [1024, 2048, null],
    [4096, 30720, null],
    [8192, 20480, null],
    [16384, 122880, null],
  ])('accepts cpu %i with %i MiB', (cpu, memoryMiB, expected) => {
    expect(fargateSizeProblem({ cpu, memoryMiB })).toBe(expected);
  });

  it.each([
    [256, 1536],
    [1000, 2048],
    [1024, 1024],
    [2048, 4608],
    [8192, 17408],
  ])('refuses cpu %i with %i MiB', (cpu, memoryMiB) => {
    expect(fargateSizeProblem({ cpu, memoryMiB })).toMatch(/cpu|memoryMiB/);
  });
});
