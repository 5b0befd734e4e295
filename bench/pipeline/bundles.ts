/**
 * Bundles: each function built as the stack builds it (lib/bundling.ts) and the naive way (CommonJS,
 * the AWS SDK external and loaded from node_modules, not minified, not tree-shaken), in the same
 * run; their sizes, what the bytes are, and their init time as the median of fresh Node processes
 * that import them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLE } from '#lib/bundling';
import { percentiles } from '#bench/common/metrics';
import { groupedBarChartSvg, stackedBarChartSvg } from '#bench/common/bar-chart';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Inside the project, so the naive bundles' require('@aws-sdk/...') resolves to its node_modules. */
const OUT_DIR = join(ROOT, '.bench-tmp', 'bundles');

export const FUNCTIONS = ['ingest', 'get-booking', 'match', 'decide'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export const BUNDLE_TARGETS = { maxKiB: 250, maxInitRatio: 0.5 } as const;

/** What a bundle's bytes are, by the package they come from. */
export const COMPOSITION = [
  'AWS SDK',
  'X-Ray SDK (Tracer)',
  'zod',
  'Powertools',
  'middy',
  'pipeline code',
  'other',
] as const;
export type CompositionPart = (typeof COMPOSITION)[number];

export function compositionPartOf(inputPath: string): CompositionPart {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath)?.[1];
  if (pkg === undefined) return 'pipeline code';
  if (/^@aws-sdk\/|^@smithy\/|^@aws-crypto\/|^tslib$|^fast-xml-parser$|^strnum$|^bowser$|^uuid$/.test(pkg))
    return 'AWS SDK';
  if (
    /^aws-xray-sdk-core$|^cls-hooked$|^semver$|^shimmer$|^async-hook-jl$|^emitter-listener$|^atomic-batcher$/.test(pkg)
  )
    return 'X-Ray SDK (Tracer)';
  if (pkg === 'zod') return 'zod';
  if (pkg.startsWith('@aws-lambda-powertools/') || pkg === '@aws/lambda-invoke-store') return 'Powertools';
  if (pkg.startsWith('@middy/')) return 'middy';
  return 'other';
}

export interface BuiltBundle {
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output by part (optimized bundles only: the naive one leaves the SDK out). */
  composition: Record<CompositionPart, number>;
}

export interface FunctionBundleResult {
  name: FunctionName;
  optimized: BuiltBundle;
  naive: BuiltBundle;
  /** Milliseconds from `import()` called to resolved, one per fresh process. */
  initMs: { optimized: number[]; naive: number[] };
  medianInitMs: { optimized: number; naive: number };
}

export interface BundleReport {
  node: string;
  runs: number;
  functions: FunctionBundleResult[];
  /** Bundles of one library each, built the optimized way: the floor under any function that uses it. */
  references: Array<{ label: string; bytes: number; medianInitMs: number }>;
}

const entry = (name: FunctionName) => join(ROOT, 'functions', name, 'handler.ts');

function optimizedOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLE.format,
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.externalModules],
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: { ...LAMBDA_BUNDLE.alias },
    metafile: true,
    logLevel: 'error',
  };
}

/** NodejsFunction's defaults before anyone tunes them, plus no tree-shaking. */
function naiveOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: LAMBDA_BUNDLE.target,
    minify: false,
    treeShaking: false,
    external: ['@aws-sdk/*', '@smithy/*'],
    metafile: true,
    logLevel: 'error',
  };
}

function measured(file: string, metafile: Metafile): BuiltBundle {
  const composition = Object.fromEntries(COMPOSITION.map((part) => [part, 0])) as Record<CompositionPart, number>;
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs))
      composition[compositionPartOf(path)] += input.bytesInOutput;
  }
  return { bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length, composition };
}

async function buildTo(file: string, options: BuildOptions, source: { entry?: string; stdin?: string }) {
  mkdirSync(dirname(file), { recursive: true });
  const result = await build({
    ...options,
    outfile: file,
    ...(source.entry
      ? { entryPoints: [source.entry] }
      : { stdin: { contents: source.stdin ?? '', resolveDir: ROOT, loader: 'ts' } }),
  });
  return measured(file, result.metafile!);
}

/** The environment Lambda gives a function (no network call happens at import). */
function lambdaEnvironment(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_SESSION_TOKEN: 'benchmark',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: 'ScPipeline',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** One fresh process: Node's own start-up is left out, the import (load, parse, run top level) is timed. */
function importMs(file: string, name: string): number {
  const script =
    `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});` +
    `process.stdout.write(String(performance.now()-t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: lambdaEnvironment(name),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`Importing ${file} failed: ${child.stderr.slice(0, 500)}`);
  const ms = Number(child.stdout);
  if (!Number.isFinite(ms)) throw new Error(`Importing ${file} printed no time`);
  return ms;
}

const median = (values: number[]) => percentiles(values, [0.5])[0] ?? NaN;

/** Library-only bundles: what any function using the library pays, whatever our code does. */
const REFERENCES = [
  {
    label: 'DynamoDB client + one GetItem',
    stdin: `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
export const send = () => new DynamoDBClient({}).send(new GetItemCommand({ TableName: 't', Key: {} }));`,
  },
  {
    label: 'Powertools Tracer (X-Ray SDK)',
    stdin: `import { Tracer } from '@aws-lambda-powertools/tracer'; export const tracer = new Tracer();`,
  },
  {
    label: 'Powertools Logger + Metrics',
    stdin: `import { Logger } from '@aws-lambda-powertools/logger'; import { Metrics } from '@aws-lambda-powertools/metrics';
export const logger = new Logger(); export const metrics = new Metrics();`,
  },
];

export async function benchBundles(options: { runs: number; log?: (line: string) => void }): Promise<BundleReport> {
  const log = options.log ?? (() => undefined);
  rmSync(OUT_DIR, { recursive: true, force: true });
  const functions: FunctionBundleResult[] = [];
  for (const name of FUNCTIONS) {
    const optimizedFile = join(OUT_DIR, 'optimized', name, 'index.mjs');
    // .cjs: the project's package.json says "type": "module" (Lambda's index.js would be CommonJS).
    const naiveFile = join(OUT_DIR, 'naive', name, 'index.cjs');
    const optimized = await buildTo(optimizedFile, optimizedOptions(), { entry: entry(name) });
    const naive = await buildTo(naiveFile, naiveOptions(), { entry: entry(name) });
    // Alternating the two spreads any drift of the machine (other load, CPU frequency) over both.
    const initMs = { optimized: [] as number[], naive: [] as number[] };
    for (let run = 0; run < options.runs; run++) {
      initMs.optimized.push(importMs(optimizedFile, name));
      initMs.naive.push(importMs(naiveFile, name));
    }
    const result: FunctionBundleResult = {
      name,
      optimized,
      naive,
      initMs,
      medianInitMs: { optimized: median(initMs.optimized), naive: median(initMs.naive) },
    };
    log(
      `${name}: ${kib(optimized.bytes)} KiB (naive ${kib(naive.bytes)} KiB), init ` +
        `${result.medianInitMs.optimized.toFixed(1)} ms (naive ${result.medianInitMs.naive.toFixed(1)} ms)`,
    );
    functions.push(result);
  }
  const references: BundleReport['references'] = [];
  for (const [i, reference] of REFERENCES.entries()) {
    const file = join(OUT_DIR, 'reference', `${i}.mjs`);
    const built = await buildTo(file, optimizedOptions(), { stdin: reference.stdin });
    const runs = Array.from({ length: options.runs }, () => importMs(file, 'reference'));
    references.push({ label: reference.label, bytes: built.bytes, medianInitMs: median(runs) });
  }
  return { node: process.version, runs: options.runs, functions, references };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(0);

export function bundlesMarkdown(report: BundleReport): string {
  const rows = report.functions.map((f) => {
    const ratio = f.medianInitMs.optimized / f.medianInitMs.naive;
    const sizeOk = f.optimized.bytes <= BUNDLE_TARGETS.maxKiB * 1024;
    const initOk = ratio <= BUNDLE_TARGETS.maxInitRatio;
    return (
      `| ${f.name} | ${kib(f.optimized.bytes)} ${sizeOk ? '(met)' : '(**not met**)'} | ${kib(f.optimized.gzipBytes)} | ` +
      `${kib(f.naive.bytes)} | ${f.medianInitMs.optimized.toFixed(1)} | ${f.medianInitMs.naive.toFixed(1)} | ` +
      `${ratio.toFixed(2)} ${initOk ? '(met)' : '(**not met**)'} |`
    );
  });
  const parts = report.functions.map(
    (f) => `| ${f.name} | ${COMPOSITION.map((part) => kib(f.optimized.composition[part])).join(' | ')} |`,
  );
  const largestPart = (f: FunctionBundleResult) =>
    [...COMPOSITION].sort((a, b) => f.optimized.composition[b] - f.optimized.composition[a])[0];
  const sdkShare =
    report.functions.reduce((sum, f) => sum + f.optimized.composition['AWS SDK'] / f.optimized.bytes, 0) /
    report.functions.length;
  return [
    `Median of ${report.runs} fresh Node ${report.node} processes per bundle, the two builds alternating; the time`,
    'is the `import()` of the bundle (load, parse, top-level code), with the environment Lambda sets and no',
    'network call. Targets: each bundle at most 250 KiB minified; init at most half the naive build’s.',
    '',
    '| function | optimized, KiB | gzip, KiB | naive, KiB | init, ms | naive init, ms | init ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'The naive build leaves the AWS SDK out (it is loaded from node_modules at run time, as Lambda loads',
    'its own copy), so its size does not count the SDK; its init time does.',
    '',
    'What the optimized bytes are (KiB):',
    '',
    `| function | ${COMPOSITION.join(' | ')} |`,
    `| --- | ${COMPOSITION.map(() => '---:').join(' | ')} |`,
    ...parts,
    '',
    `The AWS SDK is ${(sdkShare * 100).toFixed(0)}% of a bundle on average; the largest part of each: ` +
      report.functions.map((f) => `${f.name} ${largestPart(f)}`).join(', ') +
      '. Bundles of one library each, built the same way, are a floor no function that uses the library goes under:',
    '',
    '| library alone | KiB | init, ms |',
    '| --- | ---: | ---: |',
    ...report.references.map((r) => `| ${r.label} | ${kib(r.bytes)} | ${r.medianInitMs.toFixed(1)} |`),
    '',
    sizeTargetFinding(report),
  ].join('\n');
}

/** Why the size target is or is not met, from the library-only bundles. */
function sizeTargetFinding(report: BundleReport): string {
  const reference = (label: string) => report.references.find((r) => r.label === label)?.bytes ?? 0;
  const sdk = reference(REFERENCES[0]!.label);
  const tracer = reference(REFERENCES[1]!.label);
  const floor = sdk + tracer;
  const largest = Math.max(...report.functions.map((f) => f.optimized.bytes));
  if (largest <= BUNDLE_TARGETS.maxKiB * 1024) return `Every bundle is within ${BUNDLE_TARGETS.maxKiB} KiB.`;
  return (
    `A DynamoDB client with one command (${kib(sdk)} KiB) and Powertools Tracer with the X-Ray SDK ` +
    `(${kib(tracer)} KiB) already make ${kib(floor)} KiB, ${floor > BUNDLE_TARGETS.maxKiB * 1024 ? 'more' : 'less'} than ` +
    `the ${BUNDLE_TARGETS.maxKiB} KiB target, before any pipeline code: with the AWS SDK bundled (so that it is ` +
    'tree-shaken and pinned) and Tracer kept, the target cannot be met. Meeting it would take leaving the SDK ' +
    'out (the runtime’s copy: an unpinned version, and the slower init of the naive column) or dropping Tracer ' +
    'for Lambda’s own active tracing (no subsegments for SDK calls, no annotations).'
  );
}

export function bundleInitChartSvg(report: BundleReport): string {
  return groupedBarChartSvg({
    title: `Init time, median of ${report.runs} fresh processes`,
    categories: report.functions.map((f) => f.name),
    series: [
      { label: 'optimized (stack build)', values: report.functions.map((f) => f.medianInitMs.optimized) },
      { label: 'naive (SDK external, not minified)', values: report.functions.map((f) => f.medianInitMs.naive) },
    ],
    axisTitle: 'milliseconds',
  });
}

export function bundleSizeChartSvg(report: BundleReport): string {
  return stackedBarChartSvg({
    title: 'Optimized bundle size by part',
    categories: report.functions.map((f) => f.name),
    series: COMPOSITION.map((part) => ({
      label: part,
      values: report.functions.map((f) => f.optimized.composition[part] / 1024),
    })),
    axisTitle: 'KiB (minified)',
    marker: { value: BUNDLE_TARGETS.maxKiB, label: 'target 250 KiB' },
    format: (value) => `${value.toFixed(0)} KiB`,
  });
}
