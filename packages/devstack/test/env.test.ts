import { EnvError } from '@omakase/config';
import { describe, expect, it } from 'vitest';
import { parseStartEnv } from '../src/env';

function errorOf(env: Record<string, string>): EnvError {
  try {
    parseStartEnv(env);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  expect.fail('expected an EnvError');
}

describe('parseStartEnv', () => {
  it('defaults to the local stand-ins', () => {
    const env = parseStartEnv({});
    expect(env).toMatchObject({ PORT: 3000, ISSUER_PORT: 4000, AUTH0_AUDIENCE: 'omakase-api' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('names the variable with a bad value', () => {
    expect(errorOf({ PORT: 'eighty' }).issues.map((i) => i.variable)).toEqual(['PORT']);
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).message).toContain('DATABASE_URL');
    expect(errorOf({ AUTH0_SECRET: 'short' }).message).toContain('AUTH0_SECRET');
    expect(errorOf({ APP_BASE_URL: 'not a url' }).message).toContain('APP_BASE_URL');
  });

  it('requires the whole Auth0 tenant configuration once part of it is set', () => {
    expect(errorOf({ AUTH0_DOMAIN: 'tenant.eu.auth0.com' }).message).toContain('AUTH0_CLIENT_ID');
  });
});
