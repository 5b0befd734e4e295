/**
 * What the layout looks like in numbers: the lines in functions/ and the share of them a handler's
 * bundle reaches (everything in functions/ should ship), the largest source files, the longest
 * handler, and each function's bundle size as the stack builds it.
 *
 *   npx tsx scripts/layout-report.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '#lib/bundling';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCE_FOLDERS = ['bin', 'lib', 'functions', 'local', 'cli', 'simulation', 'bench', 'scripts', 'test'];

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

const lineCount = (path: string): number => readFileSync(path, 'utf8').split('\n').length - 1;

const handlers = readdirSync(join(ROOT, 'functions'))
  .map((name) => join(ROOT, 'functions', name, 'handler.ts'))
  .filter((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });

const reached = new Set<string>();
const bundleSizes: { handler: string; bytes: number }[] = [];
for (const entry of handlers) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    outfile: join(ROOT, '.layout-report', 'index.mjs'),
    format: LAMBDA_BUNDLE.format,
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: LAMBDA_BUNDLE.alias,
    logLevel: 'silent',
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.startsWith('functions/')) reached.add(input);
  }
  const js = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  bundleSizes.push({ handler: relative(ROOT, entry), bytes: js?.contents.byteLength ?? 0 });
}

// Modules imported for their types only leave nothing in a bundle, yet they are what the handlers
// compile against: follow the reached files' imports within functions/ as well.
const IMPORTS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports as Record<string, string>;
function resolveSpecifier(from: string, specifier: string): string | undefined {
  let target: string | undefined;
  if (specifier.startsWith('.')) target = join(dirname(from), specifier);
  else if (specifier.startsWith('#')) {
    const exact = IMPORTS[specifier];
    const pattern = Object.keys(IMPORTS).find((key) => key.endsWith('*') && specifier.startsWith(key.slice(0, -1)));
    target = exact ?? (pattern && IMPORTS[pattern]?.replace('*', specifier.slice(pattern.length - 1)));
    if (target?.endsWith('.ts.ts') || target?.endsWith('.json.ts')) target = target.slice(0, -3);
    if (target) target = join(ROOT, target);
  }
  if (!target) return undefined;
  for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate);
    } catch {
      // not this one
    }
  }
  return undefined;
}
const pending = [...reached].filter((path) => path.endsWith('.ts'));
while (pending.length > 0) {
  const path = pending.pop()!;
  const source = readFileSync(join(ROOT, path), 'utf8');
  for (const [, specifier] of source.matchAll(/from '([^']+)'/g)) {
    const target = specifier && resolveSpecifier(join(ROOT, path), specifier);
    if (target?.startsWith('functions/') && !reached.has(target)) {
      reached.add(target);
      pending.push(target);
    }
  }
}

const functionFiles = sourceFiles(join(ROOT, 'functions')).map((path) => relative(ROOT, path));
const functionLines = functionFiles.reduce((sum, path) => sum + lineCount(join(ROOT, path)), 0);
const reachedLines = functionFiles
  .filter((path) => reached.has(path))
  .reduce((sum, path) => sum + lineCount(join(ROOT, path)), 0);
const unreached = functionFiles.filter((path) => !reached.has(path));

const allFiles = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)))
  .map((path) => ({ path: relative(ROOT, path), lines: lineCount(path) }))
  .sort((a, b) => b.lines - a.lines);
const productFiles = allFiles.filter((file) => !file.path.startsWith('test/'));
const longestHandler = handlers
  .map((path) => ({ path: relative(ROOT, path), lines: lineCount(path) }))
  .sort((a, b) => b.lines - a.lines)[0];

console.log(`functions/: ${functionLines} lines in ${functionFiles.length} files`);
console.log(
  `reached by a handler (bundled, or imported for its types): ${reachedLines} lines (${((100 * reachedLines) / functionLines).toFixed(1)}%)`,
);
for (const path of unreached) console.log(`  not reached: ${path} (${lineCount(join(ROOT, path))} lines)`);
console.log('largest source files (tests left out):');
for (const file of productFiles.slice(0, 5)) console.log(`  ${file.lines}  ${file.path}`);
console.log(`largest test file: ${allFiles.find((file) => file.path.startsWith('test/'))?.path ?? '-'}`);
console.log(`longest handler: ${longestHandler?.path} (${longestHandler?.lines} lines)`);
console.log('bundle sizes (minified, as the stack builds them):');
for (const { handler, bytes } of bundleSizes) console.log(`  ${(bytes / 1024).toFixed(1)} KiB  ${handler}`);
