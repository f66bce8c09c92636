/**
 * The first-party module graph of an entry point inside an image layout, resolved the way the
 * image's tsx loader does (extension-less relative imports, workspace packages through their
 * node_modules link and package.json `exports`), without running anything.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ModuleGraph {
  /** First-party files reached from the entry (realpaths inside the layout). */
  files: string[];
  /** Third-party packages imported, as found in the layout's node_modules. */
  packages: string[];
  /** `importer: 'specifier' …` for each import the layout cannot satisfy. */
  missing: string[];
  /** Files read relative to a module (`new URL('…', import.meta.url)`), with whether they exist. */
  moduleRelativeReads: { importer: string; path: string; exists: boolean }[];
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.json'];

export function moduleGraph(entry: string, rootfs: string): ModuleGraph {
  const root = realpathSync(rootfs);
  const graph: ModuleGraph = { files: [], packages: [], missing: [], moduleRelativeReads: [] };
  const inside = (path: string) => path.startsWith(root + sep);
  const show = (path: string) => `/${relative(root, path)}`;
  const queue = [realpathSync(entry)];
  const seen = new Set(queue);
  const add = (file: string) => {
    const real = realpathSync(file);
    if (seen.has(real)) return;
    seen.add(real);
    queue.push(real);
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!inside(file)) {
      graph.missing.push(`${file}: a first-party module outside the image (a link into the checkout?)`);
      continue;
    }
    graph.files.push(file);
    const { imports, urls } = scan(file);
    for (const url of urls) {
      const path = resolve(dirname(file), url);
      graph.moduleRelativeReads.push({ importer: show(file), path: show(path), exists: existsSync(path) });
    }
    for (const specifier of imports) {
      if (isBuiltin(specifier)) continue;
      const found = specifier.startsWith('.')
        ? resolveFile(resolve(dirname(file), specifier))
        : resolvePackage(dirname(file), specifier, root);
      if (found === undefined) graph.missing.push(`${show(file)}: '${specifier}'`);
      else if (found.kind === 'file') add(found.path);
      else if (!graph.packages.includes(found.name)) graph.packages.push(found.name);
    }
  }
  return graph;
}

/** Runtime imports (type-only ones are erased) and `new URL('<relative>', import.meta.url)` reads. */
function scan(file: string): { imports: string[]; urls: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const urls: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isImportDeclaration(node) &&
      !node.importClause?.isTypeOnly &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      imports.push(node.moduleSpecifier.text);
    else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      imports.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      imports.push(node.arguments[0].text);
    else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.length === 2 &&
      ts.isStringLiteralLike(node.arguments[0]!) &&
      node.arguments[1]!.getText(source) === 'import.meta.url'
    )
      urls.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, urls };
}

type Found = { kind: 'file'; path: string } | { kind: 'package'; name: string };

function resolveFile(base: string): Found | undefined {
  const candidates = [
    base,
    ...(base.endsWith('.js') ? [base.replace(/\.js$/, '.ts')] : []),
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
  const path = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return path === undefined ? undefined : { kind: 'file', path };
}

/** Nearest node_modules/<name> up from `dir`, stopping at the layout's root; workspaces are followed. */
function resolvePackage(dir: string, specifier: string, root: string): Found | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = specifier.slice(name.length);
  for (let at = dir; at.startsWith(root); at = dirname(at)) {
    const pkgDir = join(at, 'node_modules', name);
    if (!existsSync(join(pkgDir, 'package.json'))) continue;
    const real = realpathSync(pkgDir);
    if (!real.startsWith(root + sep)) return { kind: 'package', name };
    const pkg = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8'));
    const target =
      pkg.exports === undefined
        ? `.${subpath || `/${pkg.main ?? 'index'}`}`
        : exportTarget(pkg.exports, `.${subpath}`);
    return target === undefined ? undefined : resolveFile(join(real, target));
  }
  return undefined;
}

/** Node's `exports` lookup for one subpath ('.' or './x'), preferring the `import` condition. */
function exportTarget(exports: unknown, key: string): string | undefined {
  const map = exports && typeof exports === 'object' ? (exports as Record<string, unknown>) : undefined;
  const isSubpathMap = map !== undefined && Object.keys(map).some((k) => k.startsWith('.'));
  let entry = isSubpathMap ? map[key] : key === '.' ? exports : undefined;
  while (entry && typeof entry === 'object') {
    const conditions = entry as Record<string, unknown>;
    entry = conditions.import ?? conditions.node ?? conditions.default;
  }
  return typeof entry === 'string' ? entry : undefined;
}
