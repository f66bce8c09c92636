import { describe, expect, it } from 'vitest';
import { MembershipError, OmakaseError } from '../src';

class ThingError extends OmakaseError<'thing_broke'> {
  constructor(message: string, opts?: { retryable?: boolean; cause?: unknown }) {
    super('thing_broke', message, opts);
  }
}

describe('OmakaseError', () => {
  it('carries a code and a message, is not retryable by default and has no cause', () => {
    const error = new OmakaseError('some_code', 'it failed');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('some_code');
    expect(error.message).toBe('it failed');
    expect(error.retryable).toBe(false);
    expect('cause' in error).toBe(false);
  });

  it('names itself after the subclass and keeps the standard cause', () => {
    const cause = new Error('socket hang up');
    const error = new ThingError('fetching the thing failed', { retryable: true, cause });
    expect(error).toBeInstanceOf(OmakaseError);
    expect(error.name).toBe('ThingError');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('ThingError: fetching the thing failed');
  });

  it('keeps an explicitly undefined cause', () => {
    expect('cause' in new ThingError('x', { cause: undefined })).toBe(true);
  });

  it('is the base of the domain’s own errors', () => {
    const error = new MembershipError('last_owner', 'an organisation must keep at least one owner');
    expect(error).toBeInstanceOf(OmakaseError);
    expect(error).toMatchObject({ name: 'MembershipError', code: 'last_owner', retryable: false });
  });
});
