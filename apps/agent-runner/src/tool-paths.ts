/**
 * A file tool's path (Read, Write, Edit, Glob, Grep) as it may be understood: literally, and
 * with `~`, `$VAR` and `${VAR}` expanded from the agent's known variables — both readings must
 * pass the workspace check. `~user` and unknown variables are refused.
 */
export type ExpandedPath = { ok: true; paths: string[] } | { ok: false; reason: string };

export function expandToolPath(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): ExpandedPath {
  if (!path.startsWith('~') && !path.includes('$')) return { ok: true, paths: [path] };
  let unknown: string | null = null;
  const lookup = (name: string, written: string) => {
    const value = env[name];
    if (value === undefined) unknown ??= written;
    return value ?? '';
  };
  let expanded = path.replace(/^~([^/]*)/, (written, user: string) => {
    if (user === '') return lookup('HOME', written);
    unknown ??= written;
    return '';
  });
  expanded = expanded.replace(
    /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (written, braced?: string, bare?: string) => lookup((braced ?? bare) as string, written),
  );
  if (unknown !== null)
    return {
      ok: false,
      reason: `\`${unknown}\` in ${path} is not expanded by the policy: write the absolute path out`,
    };
  return { ok: true, paths: [path, expanded] };
}
