/** A repository-relative path without `..`, `.`, empty or `.git` parts (manifests are checked too). */
export function isSafeRelative(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part !== '.git');
}
