/**
 * 1:1 benchmark of the baseline matcher on held-out synthetic fingers: accuracy (FNMR at fixed FMR,
 * EER) for 'good' and 'poor' probes against 'good' enrolments, and comparisons per second.
 *
 * Data: the master fingers of synthetic subjects 0 .. subjects - 1 of the gallery seed below
 * (masterFingers(seed, index), the same generator the synthetic gallery uses), all ten positions.
 * Each finger gets one 'good' enrolment impression, one 'good' probe (the standard noise profile)
 * and one 'poor' probe, each from its own random stream, so the figures of one profile do not move
 * when the other's draws change.
 *
 * Genuine comparisons: each probe against its own finger's enrolment. Impostor comparisons: each
 * probe against the enrolments of `impostorsPerProbe` other subjects' fingers at the SAME position
 * (as a tenprint search compares them; same-position fingers share pattern-class statistics, so this
 * is the harder impostor set). The impostor pairs are drawn once and used for both profiles.
 */
import { cpus, loadavg } from 'node:os';
import { baselineMatcher, prepare } from '#core/biometrics/matcher';
import { generateImpression, type ImpressionProfile } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import type { MinutiaeTemplate } from '#core/schemas';
import { ALL_POSITIONS, masterFingers } from '#simulation/synthetic-gallery';
import {
  detCurve,
  equalErrorRate,
  fnmrAtFmr,
  percentiles,
  wilsonInterval,
  type EqualErrorRate,
  type OperatingPoint,
} from '#bench/common/metrics';

/** The seed calibrate-matcher.ts tuned the matcher and fusion on; never used here. */
export const CALIBRATION_SEED = 20_081_027;

export interface OneToOneConfig {
  /**
   * Gallery seed of the held-out fingers. 20130122: Secure Communities reached every US
   * jurisdiction in January 2013. Used nowhere else in the repository (calibration: 20081027;
   * tests and scripts: small seeds and 90,000+).
   */
  seed: number;
  /** Synthetic subjects; fingers = subjects x 10 positions. */
  subjects: number;
  /** Impostor enrolments (other subjects, same position) each probe is compared with. */
  impostorsPerProbe: number;
  /** Untimed comparisons run first so the timings are of optimised code. */
  warmupComparisons: number;
  /** Comparisons between templates never seen before (each prepared on first use), for the cold rate. */
  coldComparisons: number;
  /** FMR targets to report FNMR at. */
  fmrTargets: readonly number[];
}

export const DEFAULT_ONE_TO_ONE: OneToOneConfig = {
  seed: 20_130_122,
  subjects: 200,
  // 2,000 probes x 150 = 300,000 impostor comparisons per profile; see the report for why.
  impostorsPerProbe: 150,
  warmupComparisons: 20_000,
  coldComparisons: 2_000,
  fmrTargets: [1e-3, 1e-4],
};

export interface Throughput {
  label: string;
  comparisons: number;
  seconds: number;
  perSecond: number;
  /** Process CPU time (user + system, all threads, so GC threads too) per comparison, as a rate. */
  perCpuSecond: number;
}

export interface MinutiaeSummary {
  label: string;
  templates: number;
  min: number;
  median: number;
  mean: number;
  max: number;
}

export interface ProfileResult {
  profile: ImpressionProfile;
  genuine: number[];
  impostor: number[];
  atFmr: Array<
    OperatingPoint & { target: number; genuineRejected: number; impostorsAccepted: number; ci95: [number, number] }
  >;
  eer: EqualErrorRate;
  curve: OperatingPoint[];
}

export interface OneToOneResult {
  config: OneToOneConfig;
  fingers: number;
  matcher: { algorithm: string; version: string };
  profiles: ProfileResult[];
  warm: Throughput[];
  cold: Throughput;
  prepare: { templates: number; seconds: number; perSecond: number };
  minutiae: MinutiaeSummary[];
  machine: { cpu: string; cores: number; node: string; loadBefore: number[]; loadAfter: number[] };
  seconds: number;
}

function summarise(label: string, templates: MinutiaeTemplate[]): MinutiaeSummary {
  const counts = templates.map((t) => t.minutiae.length);
  const [min, median, max] = percentiles(counts, [0, 0.5, 1]) as [number, number, number];
  return { label, templates: counts.length, min, median, mean: counts.reduce((a, b) => a + b, 0) / counts.length, max };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Runs `pairs` comparisons, returning the scores and the time taken. */
function timed(
  label: string,
  pairs: number,
  probeOf: (k: number) => MinutiaeTemplate,
  candidateOf: (k: number) => MinutiaeTemplate,
): { scores: number[]; throughput: Throughput } {
  const scores = new Array<number>(pairs);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  for (let k = 0; k < pairs; k++) scores[k] = baselineMatcher.compare(probeOf(k), candidateOf(k));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - cpu0;
  return {
    scores,
    throughput: { label, comparisons: pairs, seconds, perSecond: pairs / seconds, perCpuSecond: pairs / cpu },
  };
}

export function runOneToOne(
  config: OneToOneConfig = DEFAULT_ONE_TO_ONE,
  log: (line: string) => void = () => {},
): OneToOneResult {
  if (config.seed === CALIBRATION_SEED) throw new Error('the benchmark must not run on the calibration seed');
  if (config.impostorsPerProbe > config.subjects - 1) throw new RangeError('more impostors per probe than subjects');
  const started = performance.now();
  const loadBefore = loadavg();
  const positions = ALL_POSITIONS.length;
  const fingers = config.subjects * positions;
  const root = createRng(config.seed);

  // Finger f = subject * 10 + (position - 1).
  log(`generating ${fingers} fingers (seed ${config.seed}, subjects 0-${config.subjects - 1}) ...`);
  const masterOf: MinutiaeTemplate[] = [];
  const enrol: MinutiaeTemplate[] = [];
  const probes: Record<ImpressionProfile, MinutiaeTemplate[]> = { good: [], poor: [] };
  for (let s = 0; s < config.subjects; s++) {
    const masters = masterFingers(config.seed, s);
    const enrolRng = root.fork(`bench-enrol:${s}`);
    const goodRng = root.fork(`bench-probe-good:${s}`);
    const poorRng = root.fork(`bench-probe-poor:${s}`);
    for (const position of ALL_POSITIONS) {
      const master = masters.get(position)!;
      masterOf.push(master);
      enrol.push(generateImpression(master, enrolRng.fork(position), 'good'));
      probes.good.push(generateImpression(master, goodRng.fork(position), 'good'));
      probes.poor.push(generateImpression(master, poorRng.fork(position), 'poor'));
    }
  }

  // Impostor pairs: for each probe finger, impostorsPerProbe distinct other subjects (partial
  // Fisher-Yates), same position. Flat arrays: probe finger, enrolled finger.
  const pairRng = root.fork('bench-impostor-pairs');
  const impostorPairs = fingers * config.impostorsPerProbe;
  const impProbe = new Int32Array(impostorPairs);
  const impCand = new Int32Array(impostorPairs);
  const others = new Int32Array(config.subjects - 1);
  let n = 0;
  for (let f = 0; f < fingers; f++) {
    const subject = Math.floor(f / positions);
    const offset = f % positions;
    for (let k = 0, o = 0; k < config.subjects; k++) if (k !== subject) others[o++] = k;
    for (let k = 0; k < config.impostorsPerProbe; k++) {
      const pick = pairRng.int(k, others.length - 1);
      const chosen = others[pick]!;
      others[pick] = others[k]!;
      others[k] = chosen;
      impProbe[n] = f;
      impCand[n] = chosen * positions + offset;
      n++;
    }
  }

  // Prepare every template first (the matcher caches the prepared form), and time it.
  const all = [...enrol, ...probes.good, ...probes.poor];
  const prepStart = performance.now();
  for (const t of all) prepare(t);
  const prepSeconds = (performance.now() - prepStart) / 1000;

  // Warm-up, untimed and discarded: impostor comparisons of both profiles.
  for (let k = 0; k < config.warmupComparisons; k++) {
    const e = k % impostorPairs;
    const probe = (k & 1 ? probes.poor : probes.good)[impProbe[e]!]!;
    baselineMatcher.compare(probe, enrol[impCand[e]!]!);
  }

  const warm: Throughput[] = [];
  const profiles: ProfileResult[] = [];
  for (const profile of ['good', 'poor'] as const) {
    const p = probes[profile];
    log(`${profile} probes: ${fingers} genuine and ${impostorPairs} impostor comparisons ...`);
    const genuineRun = timed(
      `${profile} probe, genuine`,
      fingers,
      (k) => p[k]!,
      (k) => enrol[k]!,
    );
    const impostorRun = timed(
      `${profile} probe, impostor`,
      impostorPairs,
      (k) => p[impProbe[k]!]!,
      (k) => enrol[impCand[k]!]!,
    );
    warm.push(genuineRun.throughput, impostorRun.throughput);
    const genuine = genuineRun.scores;
    const impostor = impostorRun.scores;
    const atFmr = config.fmrTargets.map((target) => {
      const point = fnmrAtFmr(genuine, impostor, target);
      const genuineRejected = Math.round(point.fnmr * genuine.length);
      return {
        ...point,
        target,
        genuineRejected,
        impostorsAccepted: Math.round(point.fmr * impostor.length),
        ci95: wilsonInterval(genuineRejected, genuine.length),
      };
    });
    profiles.push({
      profile,
      genuine,
      impostor,
      atFmr,
      eer: equalErrorRate(genuine, impostor),
      curve: detCurve(genuine, impostor),
    });
  }

  // Cold: fresh 'good' impressions (new objects, never prepared); each comparison prepares both
  // templates. Same-position impostor pairs: finger f against finger f + 10 (the next subject).
  const coldRng = root.fork('bench-cold');
  const coldCount = config.coldComparisons;
  const coldProbe: MinutiaeTemplate[] = [];
  const coldCand: MinutiaeTemplate[] = [];
  for (let k = 0; k < coldCount; k++) {
    const f = k % fingers;
    coldProbe.push(generateImpression(masterOf[f]!, coldRng.fork(`a:${k}`), 'good'));
    coldCand.push(generateImpression(masterOf[(f + positions) % fingers]!, coldRng.fork(`b:${k}`), 'good'));
  }
  const cold = timed(
    'good, first use (both templates unprepared)',
    coldCount,
    (k) => coldProbe[k]!,
    (k) => coldCand[k]!,
  ).throughput;

  return {
    config,
    fingers,
    matcher: { algorithm: baselineMatcher.algorithm, version: baselineMatcher.version },
    profiles,
    warm,
    cold,
    prepare: { templates: all.length, seconds: prepSeconds, perSecond: all.length / prepSeconds },
    minutiae: [
      summarise('good enrolment', enrol),
      summarise('good probe', probes.good),
      summarise('poor probe', probes.poor),
      summarise('cold (good)', [...coldProbe, ...coldCand]),
    ],
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    seconds: (performance.now() - started) / 1000,
  };
}
