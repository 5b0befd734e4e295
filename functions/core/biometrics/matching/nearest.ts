import type { MatcherScratch } from './scratch';
import * as tuning from './tuning';

// Module-local copies of the imports the loops use: a transpiling loader (vitest, CommonJS) turns
// every read of an imported binding into a getter call, several times slower in the hot loop.
const { NEIGHBOURS } = tuning;

/**
 * The nearest neighbours of minutia i, nearest first, ties in distance by index: exactly the first k
 * of all other minutiae sorted (stably) by Math.hypot distance, without sorting them all. Candidates
 * are chosen on exact squared distances (integer coordinates): every minutia not among the k nearest
 * by squared distance is strictly farther, by far more than Math.hypot's rounding, than k others.
 * Minutiae tied on the k-th squared distance are all kept and ordered by their Math.hypot distances,
 * as a full stable sort would. Leaves them in scratch.nearIndex / scratch.nearDistance; returns k.
 */
export function nearest(x: Float64Array, y: Float64Array, n: number, i: number, scratch: MatcherScratch): number {
  const k = Math.min(NEIGHBOURS, n - 1);
  if (k <= 0) return 0;
  const d2 = scratch.squared;
  const xi = x[i]!;
  const yi = y[i]!;
  // The k smallest squared distances, ascending; threshold = the k-th.
  let t0 = Infinity;
  let t1 = Infinity;
  let t2 = Infinity;
  let t3 = Infinity;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const dx = x[j]! - xi;
    const dy = y[j]! - yi;
    const d = dx * dx + dy * dy;
    d2[j] = d;
    if (d >= t3) continue;
    if (d < t2) {
      t3 = t2;
      if (d < t1) {
        t2 = t1;
        if (d < t0) {
          t1 = t0;
          t0 = d;
        } else t1 = d;
      } else t2 = d;
    } else t3 = d;
  }
  const threshold = k === 1 ? t0 : k === 2 ? t1 : k === 3 ? t2 : t3;
  // Everything within the threshold, by index, then a stable insertion sort on the hypot distance.
  const idx = scratch.nearIndex;
  const dist = scratch.nearDistance;
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j === i || d2[j]! > threshold) continue;
    const d = Math.hypot(x[j]! - xi, y[j]! - yi);
    let s = m++;
    while (s > 0 && dist[s - 1]! > d) {
      dist[s] = dist[s - 1]!;
      idx[s] = idx[s - 1]!;
      s--;
    }
    dist[s] = d;
    idx[s] = j;
  }
  return k;
}
