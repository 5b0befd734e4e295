/**
 * The load and cost benchmark alone:
 *
 *   npx tsx bench/pipeline/load-cli.ts [--gallery 2000] [--per-level 300] [--levels 10,50,200]
 *                                     [--ramp 1,2,3,4,6] [--ramp-per-level 60] [--pollers N] [--out DIR]
 *
 * Prints the Markdown report; with --out, also writes load.json, load.md, load-chart.svg and .png.
 * A measurement, not a test: it exits 0 whether or not the pipeline keeps up (1 if it fails to run).
 */
import { cliArgs, intArg } from '#cli/args';

const USAGE = `npx tsx bench/pipeline/load-cli.ts [options]

Starts the local pipeline, seeds a gallery, offers bookings at fixed rates (open loop) through the API,
waits for every record, and prints throughput, latency, the saturation point, the saturating component
and the AWS cost per booking counted from the run.

  --gallery N          identities in the gallery                (default 2000)
  --per-level N        bookings offered at each level           (default 300)
  --levels A,B,...     offered rates, bookings/s                (default 10,50,200)
  --ramp A,B,...       lower rates to find the saturation point (default 1,2,3,4,6; "none" for none)
  --ramp-per-level N   bookings at each ramp rate               (default max(10, per-level / 5))
  --warmup N           bookings sent and waited for first       (default 5)
  --seed N             seed of the gallery and bookings         (default 7)
  --pollers N          pollers per queue, and execution environments of each consumer (match, decide) at
                       most (default: the runtime's own, the event-source mapping's maxConcurrency, the
                       search's bounded by the machine's cores)
  --log-level L        handler log level, counted as CloudWatch Logs bytes (default INFO, as the stack)
  --no-profile         no CPU profile of the Node main thread
  --out DIR            also write load.json, load.md, load-chart.svg, load-chart.png there`;

const args = cliArgs(USAGE, {
  gallery: { type: 'string' },
  'per-level': { type: 'string' },
  levels: { type: 'string' },
  ramp: { type: 'string' },
  'ramp-per-level': { type: 'string' },
  warmup: { type: 'string' },
  seed: { type: 'string' },
  pollers: { type: 'string' },
  'log-level': { type: 'string' },
  'no-profile': { type: 'boolean' },
  out: { type: 'string' },
});

function rates(value: string | boolean | undefined, name: string, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  if (value === 'none') return [];
  const parsed = String(value)
    .split(',')
    .map((v) => Number(v.trim()));
  if (parsed.length === 0 || parsed.some((v) => !(v > 0))) {
    console.error(`--${name} takes positive numbers separated by commas (got ${String(value)})`);
    process.exit(2);
  }
  return parsed;
}

function positive(value: string | boolean, name: string): number {
  const parsed = intArg(value, name, 0);
  if (parsed < 1) {
    console.error(`--${name} must be at least 1 (got ${String(value)})`);
    process.exit(2);
  }
  return parsed;
}

// As the stack logs (INFO), with EMF metrics on, so the log bytes counted are what Lambda would ingest.
// Set before any handler module loads: Powertools reads them when it is built.
process.env.POWERTOOLS_LOG_LEVEL = typeof args['log-level'] === 'string' ? args['log-level'] : 'INFO';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'false';
await import('#local/powertools-env');
const { mkdirSync, writeFileSync } = await import('node:fs');
const { join } = await import('node:path');
const { DEFAULT_LOAD_OPTIONS, benchLoad, loadChartSvg, loadMarkdown } = await import('./load');

const d = DEFAULT_LOAD_OPTIONS;
const perLevel = intArg(args['per-level'], 'per-level', d.bookingsPerLevel);
try {
  const report = await benchLoad({
    gallerySize: intArg(args.gallery, 'gallery', d.gallerySize),
    bookingsPerLevel: perLevel,
    levels: rates(args.levels, 'levels', d.levels),
    ramp: rates(args.ramp, 'ramp', d.ramp),
    ...(args['ramp-per-level'] === undefined
      ? {}
      : { rampBookingsPerLevel: intArg(args['ramp-per-level'], 'ramp-per-level', 0) }),
    warmupBookings: intArg(args.warmup, 'warmup', d.warmupBookings),
    seed: intArg(args.seed, 'seed', d.seed),
    profile: args['no-profile'] !== true,
    pipeline: args.pollers === undefined ? {} : { concurrency: positive(args.pollers, 'pollers') },
    onProgress: (line) => console.error(line),
  });
  const markdown = loadMarkdown(report);
  console.log(markdown);
  if (typeof args.out === 'string') {
    const { svgToPng } = await import('#bench/common/charts');
    mkdirSync(args.out, { recursive: true });
    const svg = loadChartSvg(report);
    writeFileSync(join(args.out, 'load.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(args.out, 'load.md'), `${markdown}\n`);
    writeFileSync(join(args.out, 'load-chart.svg'), svg);
    writeFileSync(join(args.out, 'load-chart.png'), svgToPng(svg));
    console.error(`Wrote load.json, load.md, load-chart.svg and load-chart.png to ${args.out}`);
  }
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
