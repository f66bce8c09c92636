/** Git branch names for features: `omakase/<key-lowercase>-<slug>`. */

const MAX_SLUG = 40;

/**
 * Lowercase ASCII letters and digits joined by single hyphens, at most 40 characters (whole words
 * when possible), no leading or trailing hyphen. Accents are folded (é → e); everything else separates words. This alphabet can
 * never form an invalid git ref (no `..`, `@{`, `.lock`, control characters, spaces or `~^:?*[\`).
 */
export function slugify(text: string, maxLength = MAX_SLUG): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // Whole words while they fit; a first word longer than the limit is cut.
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) return slug || word.slice(0, maxLength);
    slug = next;
  }
  return slug;
}

export function branchNameFor(featureKey: string, title: string): string {
  const key = slugify(featureKey, 64) || 'feature';
  const slug = slugify(title);
  return slug ? `omakase/${key}-${slug}` : `omakase/${key}`;
}

/** The subset of `git check-ref-format --branch` rules that can be checked without git. */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name === '@') return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git forbids.
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.startsWith('-')) return false;
  return name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}
