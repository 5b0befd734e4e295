import { cliArgs, intArg } from '#cli/args';

// The demo prints a summary; handler logs only for errors. Set before the handlers' Logger is built.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
await import('#local/powertools-env');
const { DEFAULT_DEMO_OPTIONS, NATIONAL_FUNNEL, runDemo } = await import('./demo');
const { startLocalPipeline } = await import('#local/local-pipeline');

const USAGE = `npm run demo -- [options]

Starts DynamoDB Local and fauxqs, seeds a synthetic gallery, submits synthetic bookings through the
local API, waits for every record and prints the counts. Exits 1 if a booking has no record.

  --gallery N        identities in the gallery      (default 2000)
  --bookings N       bookings to submit             (default 500)
  --gallery-seed N   seed of the gallery            (default 1)
  --booking-seed N   seed of the bookings           (default 2)
  --policy ID        pin a decision policy          (default: the one in force on each booking date)
  --review ID        then re-decide every record under this policy and print the transitions
  --timeout S        seconds to wait for records    (default 600)`;

const args = cliArgs(USAGE, {
  gallery: { type: 'string' },
  bookings: { type: 'string' },
  'gallery-seed': { type: 'string' },
  'booking-seed': { type: 'string' },
  policy: { type: 'string' },
  review: { type: 'string' },
  timeout: { type: 'string' },
});

const wallStarted = performance.now();
console.log('Starting the local pipeline (DynamoDB Local, fauxqs, handlers, API)...');
const pipeline = await startLocalPipeline({ ...(args.policy ? { policyId: String(args.policy) } : {}) });
let exitCode = 1;
try {
  const report = await runDemo(pipeline, {
    ...DEFAULT_DEMO_OPTIONS,
    gallerySize: intArg(args.gallery, 'gallery', DEFAULT_DEMO_OPTIONS.gallerySize),
    bookings: intArg(args.bookings, 'bookings', DEFAULT_DEMO_OPTIONS.bookings),
    gallerySeed: intArg(args['gallery-seed'], 'gallery-seed', DEFAULT_DEMO_OPTIONS.gallerySeed),
    bookingSeed: intArg(args['booking-seed'], 'booking-seed', DEFAULT_DEMO_OPTIONS.bookingSeed),
    timeoutSeconds: intArg(args.timeout, 'timeout', DEFAULT_DEMO_OPTIONS.timeoutSeconds),
    ...(typeof args.review === 'string' ? { reviewPolicy: args.review } : {}),
  });
  const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);
  console.log('');
  console.log(
    `Gallery:     ${report.gallery.identities} identities seeded in ${report.gallery.seedSeconds.toFixed(1)} s`,
  );
  console.log(
    `Bookings:    ${report.submitted} submitted, ${report.accepted} accepted (202), ${report.records} records`,
  );
  console.log('Records by type:');
  for (const [type, count] of Object.entries(report.byType)) {
    console.log(`  ${type.padEnd(24)} ${String(count).padStart(6)}  ${pct(count, report.records)}`);
  }
  console.log(
    `Search:      ${report.mated.total} bookings of enrolled people (${pct(report.mated.total, report.submitted)}): ` +
      `${report.mated.matched} matched, ${report.mated.inconclusive} inconclusive, ${report.mated.missed} missed, ` +
      `${report.mated.wrongSubject} wrong subject; ${report.unmated.total} others: ` +
      `${report.unmated.falseMatches} false matches, ${report.unmated.inconclusive} inconclusive`,
  );
  const n = NATIONAL_FUNNEL;
  const f = report.funnel;
  const row = (label: string, here: string, national: string) =>
    console.log(`  ${label.padEnd(34)} ${here.padEnd(18)} ${national}`);
  console.log(`Funnel:${' '.repeat(30)}this run           national (docs/domain.md §5)`);
  row('submissions', String(report.submitted), `${n.submissions.toLocaleString('en-US')} (11/2008-6/2011)`);
  row(
    'identified (biometric match)',
    `${f.identified} (${pct(f.identified, report.submitted)})`,
    `${n.identified.toLocaleString('en-US')} (${pct(n.identified, n.submissions)})`,
  );
  row(
    'detainers, of identified',
    `${f.detainers} (${pct(f.detainers, f.identified)})`,
    `${pct(n.detainersOnMatches.detainers, n.detainersOnMatches.matches)} (16,631 of 82,890 matches by 8/2009)`,
  );
  row('discretion reviews, of identified', `${f.reviews} (${pct(f.reviews, f.identified)})`, '-');
  row(
    'Level 1, of identified',
    `${f.level1} (${pct(f.level1, f.identified)})`,
    `${pct(n.level1FirstYear.level1, n.level1FirstYear.identified)} (11k of 111k, first year)`,
  );
  console.log(
    `Throughput:  ${report.bookingsPerSecond.toFixed(1)} bookings/s (${report.pipelineSeconds.toFixed(1)} s from first submit to last record)`,
  );
  if (report.review) {
    const r = report.review;
    console.log(
      `Review:      ${r.cases} records re-decided under ${r.policyId} in ${r.seconds.toFixed(1)} s` +
        (r.pending > 0 ? ` (${r.pending} not done in time)` : ''),
    );
    for (const t of r.transitions)
      console.log(`  ${t.from.padEnd(22)} -> ${t.to.padEnd(22)} ${String(t.count).padStart(6)}`);
  }
  console.log(`Wall time:   ${((performance.now() - wallStarted) / 1000).toFixed(1)} s`);
  if (report.review && report.review.pending > 0) {
    console.error(`REVIEW INCOMPLETE: ${report.review.pending} records were not re-decided in time`);
  } else if (report.missing.length > 0) {
    console.error(
      `MISSING: ${report.missing.length} bookings have no record, e.g. ${report.missing.slice(0, 5).join(', ')}`,
    );
  } else {
    exitCode = 0;
  }
} finally {
  await pipeline.stop();
}
process.exit(exitCode);
