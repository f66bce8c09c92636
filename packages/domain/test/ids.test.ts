import { describe, expect, it } from 'vitest';
import { ID_PREFIXES, idTime, isId, newId, parseId } from '../src/ids';

describe('ids', () => {
  it('creates prefixed lowercase ULIDs for every prefix', () => {
    for (const prefix of ID_PREFIXES) {
      const id = newId(prefix);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9a-z]{26}$`));
      expect(isId(prefix, id)).toBe(true);
      expect(parseId(id)).toEqual({ prefix, id });
    }
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('feat'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes the creation time', () => {
    const before = Date.now();
    const id = newId('run');
    expect(idTime(id)).toBeGreaterThanOrEqual(before);
    expect(idTime(id)).toBeLessThanOrEqual(Date.now());
  });

  it('rejects malformed ids', () => {
    const good = newId('proj');
    const ulid = good.slice(5);
    expect(isId('feat', good)).toBe(false);
    expect(isId('proj', `proj_${ulid.toUpperCase()}`)).toBe(false);
    expect(isId('proj', `proj_${ulid.slice(1)}`)).toBe(false);
    expect(isId('proj', `proj_${ulid}0`)).toBe(false);
    expect(isId('proj', `proj_8${ulid.slice(1)}`)).toBe(false);
    expect(isId('proj', `proj_${ulid.slice(0, 25)}u`)).toBe(false);
    expect(isId('proj', 42)).toBe(false);
    expect(parseId('nope_01h0000000000000000000000')).toBeNull();
    expect(parseId('feat')).toBeNull();
    expect(parseId(null)).toBeNull();
  });
});
