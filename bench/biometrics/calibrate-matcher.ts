/**
 * Measures the baseline biometric engine on synthetic fingers and recommends thresholds.
 *
 *   npx tsx bench/biometrics/calibrate-matcher.ts
 *
 * Fixed seeds, so every figure but the timings is the same on every run. Prints numbers only: a
 * measurement, not a test. Enrolled fingers are 'good' impressions of a master finger; probes are
 * other impressions of the same master (mated) or of other subjects' masters (impostor).
 * Takes about 40 s on one core.
 */
import {
  DEFAULT_THRESHOLDS,
  FINGER_EVIDENCE_CAP,
  FINGER_NOISE_FLOOR,
  fingerEvidence,
  fuseFingerScores,
} from '#core/biometrics/fusion';
import { createInMemoryGallery, type GallerySubject } from '#simulation/in-memory-gallery';
import { INDEXED_POSITIONS } from '#core/biometrics/index-keys';
import { baselineMatcher, prepare } from '#core/biometrics/matcher';
import { searchGallery } from '#core/biometrics/search';
import { generateImpression, generateMasterFinger, type ImpressionProfile } from '#simulation/synthetic-fingers';
import { createRng, type Rng } from '#simulation/random';
import type { CapturedFinger, FingerPosition, MatchOutcome, MinutiaeTemplate } from '#core/schemas';

const SEED = 20_081_027; // Secure Communities' first activation, Harris County, October 2008.
const POSITIONS: FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const SUBJECTS = 400;
const IMPOSTOR_TENPRINTS = 10_000;
const GALLERY_SIZE = 2_000;
const SEARCHES = 150;
const UNMATED_SEARCHES = 300;
const BOOTSTRAP_TENPRINTS = 1_000_000;
/**
 * A search verifies up to 20 candidates; for at most ~1 in 1,000 unmated searches to end
 * 'inconclusive', one impostor tenprint may reach the threshold at most ~1 in 20,000 times.
 */
const SEARCH_FALSE_ALARM_DIVISOR = 20_000;

interface Subject {
  masters: MinutiaeTemplate[];
  enrolled: MinutiaeTemplate[];
  good: MinutiaeTemplate[];
  poor: MinutiaeTemplate[];
}

function makeSubject(rng: Rng): Subject {
  const s: Subject = { masters: [], enrolled: [], good: [], poor: [] };
  for (const position of POSITIONS) {
    const r = rng.fork(position);
    const master = generateMasterFinger(r.fork('master'), position);
    s.masters.push(master);
    s.enrolled.push(generateImpression(master, r.fork('enrol'), 'good'));
    s.good.push(generateImpression(master, r.fork('good'), 'good'));
    s.poor.push(generateImpression(master, r.fork('poor'), 'poor'));
  }
  return s;
}

function sorted(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Value at quantile q of a sorted list (nearest rank). */
function quantile(sortedValues: number[], q: number): number {
  if (sortedValues.length === 0) return NaN;
  const rank = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(q * sortedValues.length) - 1));
  return sortedValues[rank]!;
}

const QS = [0, 0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

function row(label: string, values: number[]): string {
  const s = sorted(values);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const cells = QS.map((q) => quantile(s, q).toFixed(1).padStart(7)).join('');
  return `${label.padEnd(34)}${String(values.length).padStart(7)}${mean.toFixed(2).padStart(8)}${cells}`;
}

function header(title: string): void {
  console.log(`\n== ${title}`);
  const cells = QS.map((q) => (q === 0 ? 'min' : q === 1 ? 'max' : `p${+(q * 100).toFixed(1)}`).padStart(7)).join('');
  console.log(`${''.padEnd(34)}${'n'.padStart(7)}${'mean'.padStart(8)}${cells}`);
}

function share(values: number[], predicate: (v: number) => boolean): string {
  return `${values.filter(predicate).length}/${values.length}`;
}

/** Positions of a probe with `count` captured fingers, drawn from `from`. */
function pickPositions(rng: Rng, from: readonly FingerPosition[], count: number): FingerPosition[] {
  const pool = [...from];
  const chosen: FingerPosition[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return chosen.sort((a, b) => a - b);
}

function tenprintScore(probe: MinutiaeTemplate[], gallery: MinutiaeTemplate[], positions: FingerPosition[]): number {
  return fuseFingerScores(
    positions.map((position) => ({
      position,
      score: baselineMatcher.compare(probe[position - 1]!, gallery[position - 1]!),
    })),
  );
}

function subjectId(n: number): string {
  return `FIN${String(n).padStart(10, '0')}`;
}

function captured(templates: MinutiaeTemplate[], positions: FingerPosition[]): CapturedFinger[] {
  return positions.map((position) => ({
    position,
    status: 'captured',
    impressionType: 'rolled',
    template: templates[position - 1]!,
  }));
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = createRng(SEED);
  console.log(`baseline matcher ${baselineMatcher.algorithm} ${baselineMatcher.version}; seed ${SEED}`);
  console.log(
    `fusion in force: noise floor ${FINGER_NOISE_FLOOR}, cap ${FINGER_EVIDENCE_CAP}/finger; thresholds match ${DEFAULT_THRESHOLDS.match}, inconclusive ${DEFAULT_THRESHOLDS.inconclusive}`,
  );

  const subjects = Array.from({ length: SUBJECTS }, (_, i) => makeSubject(root.fork(`subject-${i}`)));
  const all = subjects.flatMap((s) => [...s.enrolled, ...s.good, ...s.poor]);
  const size = (t: MinutiaeTemplate) => t.minutiae.length;
  header('minutiae per template');
  console.log(
    row(
      'master',
      subjects.flatMap((s) => s.masters.map(size)),
    ),
  );
  console.log(
    row(
      'good impression',
      subjects.flatMap((s) => s.good.map(size)),
    ),
  );
  console.log(
    row(
      'poor impression',
      subjects.flatMap((s) => s.poor.map(size)),
    ),
  );

  // --- Single fingers -------------------------------------------------------------------------
  const genuineGood: number[] = [];
  const genuinePoor: number[] = [];
  for (const s of subjects) {
    POSITIONS.forEach((_, f) => {
      genuineGood.push(baselineMatcher.compare(s.good[f]!, s.enrolled[f]!));
      genuinePoor.push(baselineMatcher.compare(s.poor[f]!, s.enrolled[f]!));
    });
  }

  // Impostor tenprints: subject a's good probe against subject b's enrolment, all ten fingers.
  const pairRng = root.fork('impostor-pairs');
  const impostorSingle: number[] = [];
  const impostorTenprint: number[] = [];
  for (const t of all) prepare(t);
  const impostorStarted = performance.now();
  for (let k = 0; k < IMPOSTOR_TENPRINTS; k++) {
    const a = pairRng.int(0, SUBJECTS - 1);
    let b = pairRng.int(0, SUBJECTS - 2);
    if (b >= a) b++;
    const scores = POSITIONS.map((position) => ({
      position,
      score: baselineMatcher.compare(subjects[a]!.good[position - 1]!, subjects[b]!.enrolled[position - 1]!),
    }));
    for (const s of scores) impostorSingle.push(s.score);
    impostorTenprint.push(fuseFingerScores(scores));
  }
  const impostorSeconds = (performance.now() - impostorStarted) / 1000;
  const impostorPoorSingle: number[] = [];
  for (let k = 0; k < 10_000; k++) {
    const a = pairRng.int(0, SUBJECTS - 1);
    let b = pairRng.int(0, SUBJECTS - 2);
    if (b >= a) b++;
    const f = pairRng.int(0, 9);
    impostorPoorSingle.push(baselineMatcher.compare(subjects[a]!.poor[f]!, subjects[b]!.enrolled[f]!));
  }

  header('single-finger scores (probe vs enrolled good impression)');
  console.log(row('genuine, good probe', genuineGood));
  console.log(row('genuine, poor probe', genuinePoor));
  console.log(row('impostor, good probe', impostorSingle));
  console.log(row('impostor, poor probe', impostorPoorSingle));
  const impostorSingleSorted = sorted([...impostorSingle, ...impostorPoorSingle]);
  const maxImpostorSingle = impostorSingleSorted[impostorSingleSorted.length - 1]!;
  console.log(
    `genuine good > max impostor (${maxImpostorSingle.toFixed(1)}): ${share(genuineGood, (v) => v > maxImpostorSingle)}; ` +
      `genuine poor > max impostor: ${share(genuinePoor, (v) => v > maxImpostorSingle)}`,
  );
  console.log(
    `impostor single-finger p99 ${quantile(impostorSingleSorted, 0.99).toFixed(2)}, p99.9 ${quantile(impostorSingleSorted, 0.999).toFixed(2)}, p99.99 ${quantile(impostorSingleSorted, 0.9999).toFixed(2)} (of ${impostorSingleSorted.length})`,
  );

  // Comparisons per second on the impostor workload (what a search mostly does) and on 40-minutia pairs.
  console.log(
    `comparisons/s, impostor tenprints (templates prepared): ${((IMPOSTOR_TENPRINTS * POSITIONS.length) / impostorSeconds).toFixed(0)}`,
  );
  const near40 = all.filter((t) => t.minutiae.length >= 36 && t.minutiae.length <= 44).slice(0, 200);
  let count = 0;
  const t40 = performance.now();
  while (performance.now() - t40 < 1500) {
    for (let i = 0; i < near40.length; i++) {
      baselineMatcher.compare(near40[i]!, near40[(i + 7) % near40.length]!);
      count++;
    }
  }
  console.log(`comparisons/s, 36-44 minutiae each: ${(count / ((performance.now() - t40) / 1000)).toFixed(0)}`);
  const cold = subjects.slice(0, 50).flatMap((s) => s.masters.map((m) => generateImpression(m, createRng(1), 'good')));
  const tCold = performance.now();
  for (let i = 0; i < cold.length; i++) baselineMatcher.compare(cold[i]!, cold[(i + 1) % cold.length]!);
  console.log(
    `comparisons/s, unprepared templates (first use): ${(cold.length / ((performance.now() - tCold) / 1000)).toFixed(0)}`,
  );

  // --- Tenprints ------------------------------------------------------------------------------
  const tenRng = root.fork('tenprints');
  const mateGood: number[] = [];
  const matePoor1: number[] = [];
  const matePoor2: number[] = [];
  const mateGoodFingers: number[] = [];
  for (const s of subjects) {
    const fingers = tenRng.int(8, 10);
    mateGoodFingers.push(fingers);
    mateGood.push(tenprintScore(s.good, s.enrolled, pickPositions(tenRng, POSITIONS, fingers)));
    matePoor1.push(tenprintScore(s.poor, s.enrolled, pickPositions(tenRng, POSITIONS, 1)));
    matePoor2.push(tenprintScore(s.poor, s.enrolled, pickPositions(tenRng, POSITIONS, 2)));
  }
  header(`fused tenprint scores (floor ${FINGER_NOISE_FLOOR}, cap ${FINGER_EVIDENCE_CAP}/finger)`);
  console.log(row('mated, 8-10 good fingers', mateGood));
  console.log(row('mated, 1 poor finger', matePoor1));
  console.log(row('mated, 2 poor fingers', matePoor2));
  console.log(row('impostor, 10 good fingers', impostorTenprint));
  const impostorSorted = sorted(impostorTenprint);
  const impostorMax = impostorSorted[impostorSorted.length - 1]!;
  const impostorQ999 = quantile(impostorSorted, 0.999);
  const impostorNonZero = impostorTenprint.filter((v) => v > 0).length;
  console.log(`impostor tenprints with fused score > 0: ${impostorNonZero}/${impostorTenprint.length}`);

  // The tail beyond what 12,000 tenprints show: fingers of synthetic subjects are independent, so
  // impostor tenprints can be resampled from the pool of impostor single-finger scores.
  const bootRng = root.fork('bootstrap');
  const pool = impostorSingle;
  const boot: number[] = [];
  for (let k = 0; k < BOOTSTRAP_TENPRINTS; k++) {
    let fused = 0;
    for (let f = 0; f < POSITIONS.length; f++) fused += fingerEvidence(pool[bootRng.int(0, pool.length - 1)]!);
    boot.push(fused);
  }
  const bootSorted = sorted(boot);
  const bootTail = quantile(bootSorted, 1 - 1 / SEARCH_FALSE_ALARM_DIVISOR);
  console.log(
    `impostor tenprints resampled from single fingers (${BOOTSTRAP_TENPRINTS}): p99.9 ${quantile(bootSorted, 0.999).toFixed(2)}, ` +
      `p99.99 ${quantile(bootSorted, 0.9999).toFixed(2)}, 1 - 1/${SEARCH_FALSE_ALARM_DIVISOR} ${bootTail.toFixed(2)}, max ${bootSorted[bootSorted.length - 1]!.toFixed(2)}`,
  );

  const t = DEFAULT_THRESHOLDS;
  const outcomes = (values: number[]) =>
    `match ${share(values, (v) => v >= t.match)}, inconclusive ${share(values, (v) => v >= t.inconclusive && v < t.match)}, no-match ${share(values, (v) => v < t.inconclusive)}`;
  console.log(`\n== outcomes at match ${t.match} / inconclusive ${t.inconclusive} (direct comparison, no index)`);
  console.log(`mated, 8-10 good fingers: ${outcomes(mateGood)}`);
  console.log(`mated, 1 poor finger:     ${outcomes(matePoor1)}`);
  console.log(`mated, 2 poor fingers:    ${outcomes(matePoor2)}`);
  console.log(`impostor tenprints:       ${outcomes(impostorTenprint)}`);

  // --- Index and search -----------------------------------------------------------------------
  const galleryRng = root.fork('gallery');
  const gallerySubjects: Subject[] = [];
  const gallery: GallerySubject[] = [];
  for (let i = 0; i < GALLERY_SIZE; i++) {
    const s = i < SUBJECTS ? subjects[i]! : makeSubject(galleryRng.fork(i));
    gallerySubjects.push(s);
    gallery.push({
      identity: {
        subjectId: subjectId(i + 1),
        immigration: { status: 'overstay', encounters: [], removalOrders: [] },
        criminalHistory: { convictions: [] },
      },
      fingers: POSITIONS.map((position) => ({ position, template: s.enrolled[position - 1]! })),
    });
  }
  const reader = createInMemoryGallery(gallery);
  const bucketSizes = sorted([...reader.buckets.values()].map((b) => b.length));
  const keysPerFinger = INDEXED_POSITIONS.length * GALLERY_SIZE;
  console.log(`\n== index over ${GALLERY_SIZE} identities, positions ${INDEXED_POSITIONS.join(',')}`);
  console.log(
    `keys: ${reader.buckets.size} distinct; enrolled keys per finger ${(bucketSizes.reduce((a, b) => a + b, 0) / keysPerFinger).toFixed(1)}; ` +
      `bucket size p50 ${quantile(bucketSizes, 0.5)}, p90 ${quantile(bucketSizes, 0.9)}, p99 ${quantile(bucketSizes, 0.99)}, max ${bucketSizes[bucketSizes.length - 1]}`,
  );

  const searchRng = root.fork('search');
  const report = async (label: string, probes: Array<{ fingers: CapturedFinger[]; mate: string | null }>) => {
    const tally: Record<MatchOutcome, number> = { match: 0, inconclusive: 0, 'no-match': 0 };
    let mateShortlisted = 0;
    let rightSubject = 0;
    let wrongSubject = 0;
    const keys: number[] = [];
    const retrieved: number[] = [];
    const bestScores: number[] = [];
    for (const probe of probes) {
      const result = await searchGallery(probe.fingers, reader);
      tally[result.outcome]++;
      keys.push(result.stats.indexKeysQueried);
      retrieved.push(result.stats.candidatesRetrieved);
      if (probe.mate && result.candidates.some((c) => c.subjectId === probe.mate)) mateShortlisted++;
      const top = result.candidates[0];
      bestScores.push(top?.score ?? 0);
      if (top && result.outcome !== 'no-match') {
        if (top.subjectId === probe.mate) rightSubject++;
        else wrongSubject++;
      }
    }
    const med = (v: number[]) => quantile(sorted(v), 0.5);
    console.log(
      `${label.padEnd(36)} match ${tally.match}, inconclusive ${tally.inconclusive}, no-match ${tally['no-match']}; ` +
        `top candidate right ${rightSubject}, wrong ${wrongSubject}; mate among candidates ${mateShortlisted}; ` +
        `keys ${med(keys)}, subjects retrieved ${med(retrieved)} (medians)`,
    );
    return bestScores;
  };
  console.log(`searches (${SEARCHES} each, shortlist 20):`);
  const mated = (profile: ImpressionProfile, fingers: (r: Rng) => FingerPosition[]) =>
    Array.from({ length: SEARCHES }, () => {
      const i = searchRng.int(0, GALLERY_SIZE - 1);
      const s = gallerySubjects[i]!;
      return { fingers: captured(profile === 'good' ? s.good : s.poor, fingers(searchRng)), mate: subjectId(i + 1) };
    });
  await report(
    'mated, 8-10 good fingers',
    mated('good', (r) => pickPositions(r, POSITIONS, r.int(8, 10))),
  );
  await report(
    'mated, 1-2 poor indexed fingers',
    mated('poor', (r) => pickPositions(r, INDEXED_POSITIONS, r.int(1, 2))),
  );
  const strangers = Array.from({ length: UNMATED_SEARCHES }, (_, i) => makeSubject(root.fork(`stranger-${i}`)));
  const unmatedBest = await report(
    'unmated, 8-10 good fingers',
    strangers.map((s) => ({
      fingers: captured(s.good, pickPositions(searchRng, POSITIONS, searchRng.int(8, 10))),
      mate: null,
    })),
  );
  header('unmated searches: fused score of the best of the 20 shortlisted candidates');
  console.log(row('unmated, 8-10 good fingers', unmatedBest));
  const unmatedMax = Math.max(...unmatedBest);

  // --- Recommendation -------------------------------------------------------------------------
  const impostorP99 = quantile(impostorSingleSorted, 0.99);
  const recommendedFloor = Math.round(impostorP99);
  const recommendedInconclusive = Math.max(1, Math.ceil(Math.max(impostorQ999, impostorMax, bootTail, unmatedMax)));
  const poorMax = Math.max(...matePoor1, ...matePoor2);
  const recommendedMatch = Math.ceil((Math.max(poorMax, 2 * FINGER_EVIDENCE_CAP) * 1.25) / 10) * 10;
  console.log('\n== recommendation');
  console.log(
    `noise floor per finger = impostor single-finger p99 (${impostorP99.toFixed(2)}), rounded: ${recommendedFloor}`,
  );
  console.log(
    `inconclusive = at or above the impostor tenprint p99.9 (${impostorQ999.toFixed(2)}), the max observed (${impostorMax.toFixed(2)}), ` +
      `the resampled 1 - 1/${SEARCH_FALSE_ALARM_DIVISOR} (${bootTail.toFixed(2)}), and the best unmated search (${unmatedMax.toFixed(2)}), rounded up: ${recommendedInconclusive}`,
  );
  console.log(
    `match = 25% above the most 1-2 fingers can give (observed poor max ${poorMax.toFixed(1)}, 2 x cap ${2 * FINGER_EVIDENCE_CAP}), to the next 10: ${recommendedMatch}`,
  );
  console.log(`mated good tenprints below that match threshold: ${share(mateGood, (v) => v < recommendedMatch)}`);
  console.log(`\ntook ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
