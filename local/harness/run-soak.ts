import { writeFileSync } from 'node:fs';
import { cliArgs, intArg } from '#cli/args';

// Handler logs only for errors (injected faults make many). Set before the handlers' Logger is built.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
await import('#local/powertools-env');
const { DEFAULT_SOAK_OPTIONS, runSoak, soakSummary } = await import('./soak');
const { startLocalPipeline } = await import('#local/local-pipeline');
const { progressBar } = await import('#cli/progress');

const USAGE = `npm run soak -- [options]

Runs bookings through the local pipeline (DynamoDB Local, fauxqs, the Lambda handlers) while a
fraction of the handlers' DynamoDB and SQS calls fail at random (throttling, 500s, timeouts after the
request was sent), with a few poison messages put straight on the bookings queue; then audits that
every submission has exactly one record or exactly one dead letter. Exits 1 if one was lost or
duplicated.

  --bookings N      submissions                               (default ${DEFAULT_SOAK_OPTIONS.bookings})
  --gallery N       identities in the gallery                 (default ${DEFAULT_SOAK_OPTIONS.galleryIdentities})
  --fault-rate F    fraction of calls that fail               (default ${DEFAULT_SOAK_OPTIONS.faultRate})
  --poison-rate F   fraction of submissions that are poison   (default ${DEFAULT_SOAK_OPTIONS.poisonRate})
  --concurrency N   submissions in flight                     (default ${DEFAULT_SOAK_OPTIONS.concurrency})
  --seed N          seed of the gallery, bookings and faults  (default ${DEFAULT_SOAK_OPTIONS.seed})
  --out FILE        also write the report as JSON`;

const args = cliArgs(USAGE, {
  bookings: { type: 'string' },
  gallery: { type: 'string' },
  'fault-rate': { type: 'string' },
  'poison-rate': { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
});

function fraction(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed <= 1)) {
    console.error(`--${name} must be a fraction between 0 and 1 (got ${String(value)})`);
    process.exit(2);
  }
  return parsed;
}

const options = {
  ...DEFAULT_SOAK_OPTIONS,
  bookings: intArg(args.bookings, 'bookings', DEFAULT_SOAK_OPTIONS.bookings),
  galleryIdentities: intArg(args.gallery, 'gallery', DEFAULT_SOAK_OPTIONS.galleryIdentities),
  faultRate: fraction(args['fault-rate'], 'fault-rate', DEFAULT_SOAK_OPTIONS.faultRate),
  poisonRate: fraction(args['poison-rate'], 'poison-rate', DEFAULT_SOAK_OPTIONS.poisonRate),
  concurrency: intArg(args.concurrency, 'concurrency', DEFAULT_SOAK_OPTIONS.concurrency),
  seed: intArg(args.seed, 'seed', DEFAULT_SOAK_OPTIONS.seed),
};

console.log('Starting the local pipeline (DynamoDB Local, fauxqs, handlers, API)...');
// Locally one Node thread runs every function, so under a soak's load a batch takes longer than in
// Lambda, where each invocation has its own CPU: a 60 s function timeout keeps batches from timing
// out for that reason alone. A failed message comes back after 61 s, once a search lock its attempt
// may have left has expired, as on AWS, where the visibility timeout is six times the function timeout.
const pipeline = await startLocalPipeline({ functionTimeoutSeconds: 60, retryDelaySeconds: 61 });
let exitCode = 1;
try {
  console.log(`Seeding ${options.galleryIdentities} identities, then ${options.bookings} submissions...`);
  const bar = progressBar('Submitting', options.bookings);
  const report = await runSoak(pipeline, { ...options, onProgress: (done) => bar.update(done) });
  bar.finish();
  console.log('');
  for (const line of soakSummary(report)) console.log(line);
  if (typeof args.out === 'string') writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  exitCode = report.audit.lost.length === 0 && report.audit.duplicated.length === 0 ? 0 : 1;
  if (exitCode !== 0)
    console.error(
      `Lost: ${report.audit.lost.slice(0, 5).join(', ')}; duplicated: ${report.audit.duplicated.slice(0, 5).join(', ')}`,
    );
} finally {
  await pipeline.stop();
}
process.exit(exitCode);
