/**
 * Biometric benchmark of the baseline matcher.
 *
 *   npx tsx bench/biometrics/index.ts      (npm run bench:biometrics)
 *   npm run bench:biometrics -- --one-to-many [--gallery 10000] [--probes 300]   (or BENCH_ONE_TO_MANY=1)
 *
 * Runs the 1:1 benchmark on held-out synthetic fingers (one-to-one.ts), draws the DET curve and the
 * score distributions (charts.ts), writes docs/biometrics/README.md (report.ts) and prints the
 * figures. About a minute on one core. A measurement, not a test: it exits 0 whether or not the
 * targets are met.
 *
 * Tenprint 1:N (one-to-many.ts, against DynamoDB Local) is opt-in: with --one-to-many it runs after
 * the 1:1 part (about 10 minutes at 10,000 identities), saves its results to
 * docs/biometrics/one-to-many.json and reports them. Without it the default run stays about a minute,
 * and the report shows the 1:N results saved by the last such run (or by one-to-many.ts run alone),
 * if there are any.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detChartSvg, scoreDistributionSvg, svgToPng } from '#bench/common/charts';
import { DEFAULT_ONE_TO_ONE, runOneToOne } from './one-to-one';
import { loadOneToMany, oneToManyConfigFromArgs, oneToManyLines, runOneToMany, saveOneToMany } from './one-to-many';
import { accuracyHeadline, CHART_FILES, TARGETS, tenprintHeadline, warmHeadline, writeReport } from './report';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'docs', 'biometrics');

/** The code the 1:1 figures depend on: a change here, uncommitted, is flagged in the report. */
const INPUTS = [
  'functions/core/biometrics/matcher.ts',
  'simulation/synthetic-fingers.ts',
  'functions/core/biometrics/fusion.ts',
  'simulation/synthetic-gallery.ts',
  'simulation/random.ts',
  'functions/core/schemas',
  'bench/biometrics',
];

function gitCommit(): string | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', ...INPUTS], { cwd: ROOT, encoding: 'utf8' });
    return dirty.trim()
      ? `${commit} (with uncommitted changes to the benchmark, the matcher or its data generators)`
      : commit;
  } catch {
    return null;
  }
}

/** The y range of the DET chart: a round number above the worst FNMR at a measurable FMR. */
function detYMax(curves: Array<Array<{ fmr: number; fnmr: number }>>): number {
  let worst = 0;
  for (const curve of curves) for (const p of curve) if (p.fmr > 0 && p.fnmr > worst) worst = p.fnmr;
  return Math.min(1, Math.max(0.1, Math.ceil((worst * 1.1) / 0.02) * 0.02));
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (line: string) => console.log(line);
  const oneToOne = runOneToOne(DEFAULT_ONE_TO_ONE, log);

  mkdirSync(OUT_DIR, { recursive: true });
  const good = oneToOne.profiles.find((p) => p.profile === 'good')!;
  const poor = oneToOne.profiles.find((p) => p.profile === 'poor')!;
  const series = [good, poor].map((p) => ({
    label: `${p.profile} probe vs good enrolment`,
    curve: p.curve,
    marks: p.atFmr,
  }));
  const det = detChartSvg(
    [series[0]!, series[1]!],
    detYMax([good.curve, poor.curve]),
    1 / Math.min(good.impostor.length, poor.impostor.length),
  );
  writeFileSync(join(OUT_DIR, CHART_FILES.det), svgToPng(det));
  const distributions = scoreDistributionSvg([
    { title: "'good' probes (standard noise profile)", genuine: good.genuine, impostor: good.impostor },
    { title: "'poor' probes", genuine: poor.genuine, impostor: poor.impostor },
  ]);
  writeFileSync(join(OUT_DIR, CHART_FILES.distributions), svgToPng(distributions));

  const args = process.argv.slice(2);
  const oneToMany = args.includes('--one-to-many') || process.env.BENCH_ONE_TO_MANY === '1';
  let tenprint = oneToMany ? undefined : (loadOneToMany(OUT_DIR) ?? undefined);
  if (oneToMany) {
    tenprint = await runOneToMany(oneToManyConfigFromArgs(args), log);
    await saveOneToMany(OUT_DIR, tenprint);
  } else if (tenprint) {
    log(`1:N not run (--one-to-many to run it); reporting the saved results in ${OUT_DIR}`);
  }

  const runSeconds = (performance.now() - started) / 1000;
  const report = await writeReport(OUT_DIR, {
    oneToOne,
    ...(tenprint ? { tenprint } : {}),
    generatedAt: new Date(),
    commit: gitCommit(),
    runSeconds,
  });

  // The figures.
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const int = (v: number) => Math.round(v).toLocaleString('en-US');
  const c = oneToOne.config;
  console.log('');
  console.log(
    `1:1, held-out seed ${c.seed}, subjects 0-${c.subjects - 1}: ${int(oneToOne.fingers)} fingers; ` +
      `per profile ${int(good.genuine.length)} genuine, ${int(good.impostor.length)} impostor (same position)`,
  );
  for (const p of oneToOne.profiles) {
    const at = p.atFmr
      .map(
        (a) =>
          `FNMR ${pct(a.fnmr)} at FMR ${a.target.toExponential(0)} (threshold ${a.threshold.toFixed(2)}, ` +
          `${a.genuineRejected} rejected, 95% CI ${pct(a.ci95[0])}-${pct(a.ci95[1])})`,
      )
      .join('; ');
    console.log(
      `  ${p.profile.padEnd(4)}: ${at}; EER ${(p.eer.eer * 100).toFixed(3)}% (threshold ${p.eer.threshold.toFixed(2)})`,
    );
  }
  for (const t of [warmHeadline(oneToOne), ...oneToOne.warm, oneToOne.cold]) {
    console.log(
      `  ${t.label}: ${int(t.perSecond)} comparisons/s (${int(t.comparisons)} in ${t.seconds.toFixed(2)} s; ${int(t.perCpuSecond)} per CPU s)`,
    );
  }
  console.log(
    `  prepare(): ${int(oneToOne.prepare.perSecond)} templates/s; minutiae per template: ` +
      oneToOne.minutiae.map((m) => `${m.label} median ${m.median} (${m.min}-${m.max})`).join(', '),
  );
  const accuracy = accuracyHeadline(oneToOne);
  const speed = warmHeadline(oneToOne);
  console.log(
    `targets: FNMR <= ${pct(TARGETS.fnmrAtFmr1e3)} at FMR 1e-3 ('good'): ${pct(accuracy.fnmr)}, ${accuracy.met ? 'MET' : 'NOT MET'}; ` +
      `>= ${int(TARGETS.comparisonsPerSecond)} comparisons/s/core: ${int(speed.perSecond)}, ` +
      `${speed.perSecond >= TARGETS.comparisonsPerSecond ? 'MET' : 'NOT MET'}`,
  );
  if (tenprint) {
    console.log('');
    if (!oneToMany) console.log('(1:N figures saved by an earlier run, not measured now)');
    for (const result of tenprint) for (const line of oneToManyLines(result)) console.log(line);
    for (const result of tenprint) {
      const head = tenprintHeadline(result);
      console.log(
        `targets at ${int(result.config.gallery)}: tenprint FNIR <= 0.5% at FPIR <= 1e-3: ${pct(head.fnir)}, ` +
          `${head.met ? 'MET' : 'NOT MET'}${head.met && !head.shown ? ' (95% CI reaches above)' : ''}; ` +
          `at most 200 verified: max ${result.reads.candidates.max}; bytes read per search: ` +
          `p50 ${int(result.reads.bytes.p50)}, max ${int(result.reads.bytes.max)}` +
          (result.config.gallery === 100_000
            ? ` (target 1,000,000: ${result.reads.bytes.max <= 1e6 ? 'MET' : 'NOT MET'})`
            : ''),
      );
    }
  }
  console.log(`wrote ${report} and the charts beside it; took ${runSeconds.toFixed(1)} s`);
}

await main();
