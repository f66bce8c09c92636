/** Every API route handler on disk: `METHOD /api/...{param}` → its module's handler. */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const API_DIR = fileURLToPath(new URL('../../src/app/api', import.meta.url));

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export interface DiskRoute {
  key: string;
  method: string;
  path: string;
  handler: RouteHandler;
}

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? routeFiles(join(dir, e.name))
        : Promise.resolve(e.name === 'route.ts' ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat();
}

export async function discoverRoutes(): Promise<DiskRoute[]> {
  const found: DiskRoute[] = [];
  for (const file of await routeFiles(API_DIR)) {
    const segments = relative(API_DIR, file).split(sep).slice(0, -1);
    const path = `/api/${segments.map((s) => s.replace(/^\[(.+)\]$/, '{$1}')).join('/')}`;
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof module[method] === 'function') {
        found.push({ key: `${method} ${path}`, method, path, handler: module[method] as RouteHandler });
      }
    }
  }
  return found.sort((a, b) => a.key.localeCompare(b.key));
}
