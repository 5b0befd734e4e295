/**
 * Error-rate metrics of a 1:1 matcher from its genuine (mated) and impostor (non-mated) scores.
 * Pure functions, no I/O; inputs are not modified.
 *
 * Conventions, used by every function here:
 * - Higher scores are more similar. A comparison is ACCEPTED (declared a match) when its score is
 *   >= the threshold, rejected when it is below. A score equal to the threshold is therefore
 *   accepted, whether genuine or impostor: ties count as matches.
 * - FMR(t) = share of impostor scores >= t; FNMR(t) = share of genuine scores < t. A share is
 *   computed as count / total, so 300 of 300,000 is exactly the number 1e-3 and compares equal to it.
 * - Candidate thresholds are the distinct observed scores (genuine and impostor together) and
 *   +Infinity (accept nothing). Between two neighbouring observed scores neither rate changes, so
 *   these are all the (FMR, FNMR) pairs any real threshold can give, and "the smallest threshold
 *   such that ..." is always one of them.
 * - Every score must be a number (not NaN); both lists must be non-empty.
 */

/** One operating point: a threshold and the error rates it gives. */
export interface OperatingPoint {
  threshold: number;
  fmr: number;
  fnmr: number;
}

function sortedScores(values: ArrayLike<number>, name: string): Float64Array {
  if (values.length === 0) throw new RangeError(`${name} scores are empty`);
  const sorted = Float64Array.from(values);
  for (const v of sorted) if (Number.isNaN(v)) throw new RangeError(`${name} scores contain NaN`);
  return sorted.sort();
}

/** Number of values of an ascending array that are < t (binary search). */
function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** FMR and FNMR at one given threshold (which need not be an observed score). */
export function ratesAt(genuine: ArrayLike<number>, impostor: ArrayLike<number>, threshold: number): OperatingPoint {
  const g = sortedScores(genuine, 'genuine');
  const i = sortedScores(impostor, 'impostor');
  return {
    threshold,
    fmr: (i.length - countBelow(i, threshold)) / i.length,
    fnmr: countBelow(g, threshold) / g.length,
  };
}

/**
 * The DET curve: one point per candidate threshold (every distinct observed score, then +Infinity),
 * in ascending order of threshold, so FMR falls from 1 to 0 and FNMR rises from 0 to 1.
 */
export function detCurve(genuine: ArrayLike<number>, impostor: ArrayLike<number>): OperatingPoint[] {
  const g = sortedScores(genuine, 'genuine');
  const i = sortedScores(impostor, 'impostor');
  const points: OperatingPoint[] = [];
  let gi = 0; // genuine scores < t
  let ii = 0; // impostor scores < t
  while (gi < g.length || ii < i.length) {
    const t = Math.min(gi < g.length ? g[gi]! : Infinity, ii < i.length ? i[ii]! : Infinity);
    points.push({ threshold: t, fmr: (i.length - ii) / i.length, fnmr: gi / g.length });
    while (gi < g.length && g[gi] === t) gi++;
    while (ii < i.length && i[ii] === t) ii++;
  }
  points.push({ threshold: Infinity, fmr: 0, fnmr: 1 });
  return points;
}

/**
 * FNMR at a target FMR. The threshold is the smallest candidate threshold (an observed score, or
 * +Infinity if every observed score would let too many impostors through) such that the share of
 * impostor scores >= it is <= `fmr`; FNMR is the share of genuine scores below it. The returned `fmr`
 * is the one actually reached, at most the target. Ties at the threshold are accepted (see above).
 */
export function fnmrAtFmr(genuine: ArrayLike<number>, impostor: ArrayLike<number>, fmr: number): OperatingPoint {
  if (!(fmr >= 0 && fmr <= 1)) throw new RangeError(`target FMR ${fmr} is not in [0, 1]`);
  // FMR does not rise along the curve, so the first point at or under the target is the smallest threshold.
  const point = detCurve(genuine, impostor).find((p) => p.fmr <= fmr);
  // The +Infinity point has FMR 0, so there always is one.
  return point!;
}

/** The equal error rate, as FVC2000 defines it (Maio et al., IEEE PAMI 24(3), 2002, section 3.2). */
export interface EqualErrorRate {
  /** (low + high) / 2. */
  eer: number;
  /** The error rates bracketing the crossing of the FMR and FNMR curves; equal when they cross at a threshold. */
  low: number;
  high: number;
  /** The threshold (t1 or t2 below) whose pair of rates gives low and high. */
  threshold: number;
}

/**
 * Equal error rate. With t1 the largest candidate threshold where FNMR <= FMR and t2 the smallest
 * where FNMR >= FMR (they are neighbours, or the same threshold when the curves meet exactly): if
 * FNMR(t1) + FMR(t1) <= FNMR(t2) + FMR(t2) then [low, high] = [FNMR(t1), FMR(t1)], else
 * [FMR(t2), FNMR(t2)]; EER = (low + high) / 2. A tie of the sums goes to t1.
 */
export function equalErrorRate(genuine: ArrayLike<number>, impostor: ArrayLike<number>): EqualErrorRate {
  const curve = detCurve(genuine, impostor);
  // FNMR - FMR does not fall along the curve; the first point has FNMR 0 and the last FMR 0.
  let k2 = curve.findIndex((p) => p.fnmr >= p.fmr);
  const p2 = curve[k2]!;
  let p1 = p2;
  if (p2.fnmr !== p2.fmr) {
    // The last point with FNMR <= FMR is the one just before t2 (k2 > 0, as the first point has FNMR 0 <= FMR).
    k2 -= 1;
    p1 = curve[k2]!;
  }
  if (p1.fnmr + p1.fmr <= p2.fnmr + p2.fmr) {
    return { eer: (p1.fnmr + p1.fmr) / 2, low: p1.fnmr, high: p1.fmr, threshold: p1.threshold };
  }
  return { eer: (p2.fmr + p2.fnmr) / 2, low: p2.fmr, high: p2.fnmr, threshold: p2.threshold };
}

/**
 * Nearest-rank percentiles: for q in [0, 1], the value at rank ceil(q * n) (1-based) of the sorted
 * values, rank 1 for q = 0. Always an observed value, never interpolated. NaN for an empty list.
 */
export function percentiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q} is not in [0, 1]`);
  if (values.length === 0) return qs.map(() => NaN);
  const sorted = sortedScores(values, 'percentile');
  return qs.map((q) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!);
}

/**
 * Counts of values in `bins` equal-width bins over [lo, hi): bin k holds lo + k * w <= v < lo + (k + 1) * w.
 * Values below lo are counted in the first bin and values >= hi in the last, so every value is counted.
 */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  if (!(hi > lo) || !Number.isInteger(bins) || bins < 1) throw new RangeError('histogram needs lo < hi and bins >= 1');
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (Number.isNaN(v)) throw new RangeError('histogram values contain NaN');
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[bin]!++;
  }
  return counts;
}

/**
 * Wilson score interval of a binomial share: `errors` of `trials`, at the two-sided level of z
 * (1.96 for 95%). Treats the threshold as fixed, so it does not include the threshold's own
 * uncertainty at a target FMR.
 */
export function wilsonInterval(errors: number, trials: number, z = 1.959963984540054): [number, number] {
  if (!(trials > 0) || errors < 0 || errors > trials) throw new RangeError(`bad share ${errors}/${trials}`);
  const p = errors / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
