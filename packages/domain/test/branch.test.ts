import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { branchNameFor, isValidBranchName, slugify } from '../src/branch';

/** Titles mixing ordinary text with everything git refs forbid (the 'binary' unit costs seconds to set up). */
const nasty = fc.constantFrom(
  ...'aZ9é ü-_./\\~^:?*[@{}\u0000\u007f\t\n日✨ﬁ'.split(''),
  '..',
  '.lock',
  '@{',
  '//',
);
const title = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: nasty, maxLength: 60 }));

describe('branchNameFor', () => {
  it('builds omakase/<key>-<slug>', () => {
    expect(branchNameFor('DEMO-12', 'Add cart checkout!')).toBe('omakase/demo-12-add-cart-checkout');
    expect(branchNameFor('DEMO-3', 'Crème brûlée: 100% “fancy” ~~ ../refs @{u}')).toBe(
      'omakase/demo-3-creme-brulee-100-fancy-refs-u',
    );
  });

  it('caps the slug at 40 characters without a trailing hyphen', () => {
    const slug = slugify('Implement the very long feature title with many many words here');
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).toBe('implement-the-very-long-feature-title');
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
    expect(slugify('x'.repeat(50))).toBe('x'.repeat(40));
  });

  it('falls back to the key when the title has no usable characters', () => {
    expect(branchNameFor('DEMO-7', '日本語 ✨')).toBe('omakase/demo-7');
  });

  it('always yields a valid git branch name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), title, (key, title) => {
        const name = branchNameFor(key, title);
        expect(name).toMatch(/^omakase\/[a-z0-9-]+$/);
        expect(isValidBranchName(name)).toBe(true);
        const slug = slugify(title);
        expect(slug.length).toBeLessThanOrEqual(40);
        expect(slug).not.toMatch(/^-|-$|--/);
      }),
      { numRuns: 300 },
    );
  });

  it('isValidBranchName rejects what git rejects', () => {
    for (const bad of ['a..b', 'a b', 'x.lock', 'a/.b', 'a@{1}', 'a~1', '/a', 'a/', 'a.', '-a', '', 'a//b']) {
      expect(isValidBranchName(bad), bad).toBe(false);
    }
  });
});
