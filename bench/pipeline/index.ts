/**
 * `npm run bench`: the performance and cost benchmark, written to docs/benchmarks/
 * (README.md, results.json and PNG charts). Parts that start the local pipeline run in a child
 * process each (one pipeline per process; Powertools reads its settings once), one after another so
 * that no part measures another's load.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { cliArgs, intArg } from '#cli/args';
import { svgToPng } from '#bench/common/charts';
import { percentiles } from '#bench/common/metrics';
import { API_DEFAULTS } from '#functions/definitions';
import {
  BUNDLE_TARGETS,
  benchBundles,
  bundleInitChartSvg,
  bundleSizeChartSvg,
  bundlesMarkdown,
  type BundleReport,
} from './bundles';
import { handlerCpuChartSvg } from './handler-cpu-chart';
import { handlerCpuMarkdown, type HandlerCpuReport, type Step } from './handler-cpu-report';
import { measureIndexKeyLoad } from './index-hot-keys';
import { loadChartSvg } from './load-chart';
import { loadMarkdown, loadTargets, type LoadReport } from './load-report';
import { scalingMarkdown, scalingModel, type StepCost } from './scaling';

const USAGE = `npm run bench [-- options]

Measures bundles (size, init), handler CPU per booking, end-to-end throughput and latency on the
local runtime, the AWS cost per booking counted from the run, and a scaling model; writes the
report to docs/benchmarks/. Takes about 10 minutes with the defaults (2 cores).

  --quick          small sizes, a few minutes (a smoke run, not the report's figures)
  --only LIST      some of: bundles,cpu,load (default all three); the others' last results are
                   reused (--only report: none runs, the report is written again)
  --runs N         fresh processes per bundle for the init time (default 20)
  --gallery N      identities in the gallery of the cpu and load parts (default 2000, as the demo)
  --out DIR        where to write (default docs/benchmarks)`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = cliArgs(USAGE, {
  quick: { type: 'boolean' },
  only: { type: 'string' },
  runs: { type: 'string' },
  gallery: { type: 'string' },
  out: { type: 'string' },
});
const quick = args.quick === true;
const parts = new Set(String(args.only ?? 'bundles,cpu,load').split(','));
const outDir = resolve(ROOT, typeof args.out === 'string' ? args.out : 'docs/benchmarks');
const workDir = join(ROOT, '.bench-tmp', 'results');
const gallery = intArg(args.gallery, 'gallery', quick ? 300 : 2000);
mkdirSync(outDir, { recursive: true });
mkdirSync(workDir, { recursive: true });

const log = (line: string) => console.error(`[bench] ${line}`);

/** A part's own CLI in a child process; its JSON result is read back. */
function runPart(script: string, partArgs: string[]): void {
  log(`${script} ${partArgs.join(' ')}`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/pipeline', script), ...partArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (child.status !== 0) throw new Error(`${script} failed (exit ${child.status})`);
}

/** What was done to the bundles, with the sizes measured at each step: history, not this run. */
const BUNDLE_HISTORY = [
  'How the bundles got here (ingest, minified, as `cdk synth` built it at each step):',
  '',
  '| step | ingest, KiB | why it is safe |',
  '| --- | ---: | --- |',
  '| before: ESM, minified, SDK bundled, keepNames | 1,036 | |',
  '| zod imported as a namespace (`import * as z`), not `{ z }` | 673 | esbuild tree-shakes a namespace import, not a re-exported namespace object (all locales were bundled) |',
  '| the SDK’s default credential chain replaced by its environment link (lib/bundling.ts alias) | 531 | Lambda puts the role’s credentials in the environment; the chain’s other links never run there |',
  '| no keepNames | 499 | nothing reads class or function names; stack traces go through the source map |',
  '| local audit stand-in registered by the local runtime (get-booking: −26 KiB of SQS client) | 499 | no local code in a deployed bundle |',
  '| runtime schemas on zod/mini (functions/core/zod.ts) | 442 | same results, issues and messages on 209,629 inputs; same JSON Schemas |',
];

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const png = (name: string, svg: string) => writeFileSync(join(outDir, name), svgToPng(svg));

const started = Date.now();
let bundles: BundleReport | undefined;
if (parts.has('bundles')) {
  log('bundles: building and timing fresh imports');
  bundles = await benchBundles({ runs: intArg(args.runs, 'runs', quick ? 5 : 20), log });
  writeFileSync(join(workDir, 'bundles.json'), JSON.stringify(bundles));
} else bundles = tryRead<BundleReport>('bundles.json');

if (parts.has('cpu')) {
  runPart('handler-cpu-cli.ts', [
    '--gallery',
    String(gallery),
    '--bookings',
    quick ? '40' : '200',
    '--json',
    join(workDir, 'handler-cpu.json'),
  ]);
}
const cpu = tryRead<HandlerCpuReport>('handler-cpu.json');

if (parts.has('load')) {
  runPart('load-cli.ts', [
    '--gallery',
    String(gallery),
    '--per-level',
    quick ? '30' : '300',
    ...(quick ? ['--levels', '10,50', '--ramp', '1,2,4'] : []),
    '--out',
    join(workDir, 'load'),
  ]);
}
const load = tryRead<LoadReport>(join('load', 'load.json'));

function tryRead<T>(file: string): T | undefined {
  try {
    return readJson<T>(join(workDir, file));
  } catch {
    return undefined;
  }
}

/** CPU and wall per booking of a step, over every measured booking. */
function stepCost(report: HandlerCpuReport, step: Step): StepCost {
  const cpuMs = report.samples.map((s) => s[step].cpuMicros / 1000);
  const wallMs = report.samples.map((s) => s[step].wallMs);
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return { cpuMs: mean(cpuMs), wallMs: mean(wallMs), cpuMsP99: percentiles(cpuMs, [0.99])[0] ?? NaN };
}

log('index keys: read shares and bucket sizes');
const indexKeys = measureIndexKeyLoad({
  gallerySize: gallery,
  gallerySeed: 1,
  searches: quick ? 100 : 1000,
  bookingSeed: 2,
});

const unitsPerBooking = (report: LoadReport, field: 'readUnits' | 'writeUnits' | 'indexWriteUnits') =>
  report.cost.operations.filter((o) => o.key.startsWith('dynamodb.')).reduce((sum, o) => sum + o[field], 0);
const scaling =
  cpu && load
    ? scalingModel({
        match: stepCost(cpu, 'match'),
        decide: stepCost(cpu, 'decide'),
        galleryReadUnitsPerBooking: unitsPerBooking(load, 'readUnits'),
        recordsWriteUnitsPerBooking: unitsPerBooking(load, 'writeUnits'),
        // The records table has two GSIs, written alike.
        indexWriteUnitsPerBookingPerIndex: unitsPerBooking(load, 'indexWriteUnits') / 2,
        indexKeys,
        apiRateLimit: API_DEFAULTS.rateLimit,
      })
    : undefined;

const sections: string[] = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\`${quick ? ' --quick (a smoke run: small sizes)' : ''} on ` +
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Raw figures: [results.json](results.json).`,
  '',
];
if (bundles) {
  const worstRatio = Math.max(...bundles.functions.map((f) => f.medianInitMs.optimized / f.medianInitMs.naive));
  const largest = Math.max(...bundles.functions.map((f) => f.optimized.bytes));
  sections.push(
    '## Targets',
    '',
    '| target | result | met |',
    '| --- | --- | --- |',
    `| each bundle ≤ ${BUNDLE_TARGETS.maxKiB} KiB minified | largest ${(largest / 1024).toFixed(0)} KiB | ${largest <= BUNDLE_TARGETS.maxKiB * 1024 ? 'yes' : '**no** (see Bundles)'} |`,
    `| init ≤ half the naive build’s | worst ratio ${worstRatio.toFixed(2)} | ${worstRatio <= BUNDLE_TARGETS.maxInitRatio ? 'yes' : '**no**'} |`,
    ...(load
      ? loadTargets(load).map(
          ([target, result, met]) => `| ${target} | ${result} | ${met ? 'yes' : '**no** (see Load)'} |`,
        )
      : []),
    '',
    '## Bundles',
    '',
    bundlesMarkdown(bundles),
    '',
    '![Init time of each bundle against the naive build](bundle-init.png)',
    '',
    '![What each bundle is made of](bundle-size.png)',
    '',
    ...BUNDLE_HISTORY,
    '',
  );
  png('bundle-init.png', bundleInitChartSvg(bundles));
  png('bundle-size.png', bundleSizeChartSvg(bundles));
}
/** A part's own Markdown as a section of the report (its headings one level down) and its chart. */
function partSection(markdown: string, chart: { file: string; alt: string; svg: string }): void {
  sections.push(markdown.replace(/^## /gm, '### ').replace(/^### /, '## '), '', `![${chart.alt}](${chart.file})`, '');
  png(chart.file, chart.svg);
}
if (cpu) {
  partSection(handlerCpuMarkdown(cpu), {
    file: 'handler-cpu.png',
    alt: 'CPU per booking by phase',
    svg: handlerCpuChartSvg(cpu),
  });
}
if (load) {
  partSection(loadMarkdown(load), {
    file: 'load.png',
    alt: 'Throughput and latency by offered load',
    svg: loadChartSvg(load),
  });
}
if (scaling) sections.push('## Scaling on AWS, on paper', '', scalingMarkdown(scaling), '');

/** Written as the repository's prettier settings format it, so that `npm run lint` passes on the report. */
async function writeFormatted(file: string, content: string, parser: 'markdown' | 'json'): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(content, { ...options, filepath: file, parser }));
}

await writeFormatted(join(outDir, 'README.md'), `${sections.join('\n').trimEnd()}\n`, 'markdown');
await writeFormatted(
  join(outDir, 'results.json'),
  JSON.stringify({ bundles, handlerCpu: cpu ? { ...cpu, samples: undefined } : undefined, load, indexKeys, scaling }),
  'json',
);
log(`wrote ${outDir}/README.md in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
