import { describe, expect, it } from 'vitest';
import {
  detCurve,
  equalErrorRate,
  fnmrAtFmr,
  histogram,
  percentiles,
  ratesAt,
  wilsonInterval,
} from '#bench/common/metrics';

/*
 * Hand-computed example: 8 genuine and 8 impostor scores, so every share is a multiple of 1/8 and
 * exact in floating point. Accept when score >= t.
 *
 *   t        0    1    2    3    4    5    7    8    9    10   11   +Inf
 *   FMR     8/8  7/8  5/8  4/8  4/8  2/8  1/8  1/8  1/8   0    0    0
 *   FNMR     0    0    0    0   1/8  1/8  2/8  3/8  4/8  5/8  7/8   1
 */
const IMPOSTOR = [4, 0, 1, 9, 1, 2, 5, 4];
const GENUINE = [10, 3, 5, 7, 11, 8, 9, 10];

describe('detCurve', () => {
  it('gives one point per distinct observed score, then +Infinity, in ascending threshold', () => {
    // Act
    const curve = detCurve(GENUINE, IMPOSTOR);

    // Assess
    expect(curve.map((p) => [p.threshold, p.fmr * 8, p.fnmr * 8])).toEqual([
      [0, 8, 0],
      [1, 7, 0],
      [2, 5, 0],
      [3, 4, 0],
      [4, 4, 1],
      [5, 2, 1],
      [7, 1, 2],
      [8, 1, 3],
      [9, 1, 4],
      [10, 0, 5],
      [11, 0, 7],
      [Infinity, 0, 8],
    ]);
  });

  it('does not reorder its inputs', () => {
    // Prepare
    const impostor = [...IMPOSTOR];

    // Act
    detCurve(GENUINE, impostor);

    // Assess
    expect(impostor).toEqual(IMPOSTOR);
  });

  it('rejects empty lists and NaN', () => {
    expect(() => detCurve([], IMPOSTOR)).toThrow(RangeError);
    expect(() => detCurve(GENUINE, [])).toThrow(RangeError);
    expect(() => detCurve(GENUINE, [1, NaN])).toThrow(RangeError);
  });
});

describe('fnmrAtFmr', () => {
  describe.each([
    // A genuine and an impostor score both equal the threshold 5: both accepted (FNMR 1/8, not 2/8).
    { target: 0.25, threshold: 5, fmr: 0.25, fnmr: 0.125 },
    // 0.2 is not reachable exactly: the smallest threshold under it is 7, with FMR 1/8.
    { target: 0.2, threshold: 7, fmr: 0.125, fnmr: 0.25 },
    { target: 0.125, threshold: 7, fmr: 0.125, fnmr: 0.25 },
    // FMR 0: the smallest observed score above every impostor (a genuine 10), not just above 9.
    { target: 0, threshold: 10, fmr: 0, fnmr: 0.625 },
    { target: 1, threshold: 0, fmr: 1, fnmr: 0 },
  ])('at a target FMR of $target', ({ target, threshold, fmr, fnmr }) => {
    it(`uses threshold ${threshold} and gives FNMR ${fnmr}`, () => {
      // Act
      const point = fnmrAtFmr(GENUINE, IMPOSTOR, target);

      // Assess
      expect(point).toEqual({ threshold, fmr, fnmr });
    });
  });

  it('goes to +Infinity when only rejecting everything keeps FMR at 0', () => {
    // Act
    const point = fnmrAtFmr([1, 2], [3, 4], 0);

    // Assess
    expect(point).toEqual({ threshold: Infinity, fmr: 0, fnmr: 1 });
  });

  it('reaches FMR 1e-3 exactly with 1 impostor in 1,000 at or above the threshold', () => {
    // Prepare: 999 impostors at 0 and one at 50; genuine 40, 60.
    const impostor = [...new Array<number>(999).fill(0), 50];

    // Act
    const point = fnmrAtFmr([40, 60], impostor, 1e-3);

    // Assess: threshold 40 would let 1/1000 through too, and it is smaller than 50.
    expect(point).toEqual({ threshold: 40, fmr: 1e-3, fnmr: 0 });
  });

  it('rejects a target outside [0, 1]', () => {
    expect(() => fnmrAtFmr(GENUINE, IMPOSTOR, -0.1)).toThrow(RangeError);
    expect(() => fnmrAtFmr(GENUINE, IMPOSTOR, 1.5)).toThrow(RangeError);
  });
});

describe('ratesAt', () => {
  it('counts scores equal to the threshold as accepted', () => {
    expect(ratesAt(GENUINE, IMPOSTOR, 5)).toEqual({ threshold: 5, fmr: 0.25, fnmr: 0.125 });
  });

  it('works between observed scores', () => {
    expect(ratesAt(GENUINE, IMPOSTOR, 4.5)).toEqual({ threshold: 4.5, fmr: 0.25, fnmr: 0.125 });
  });
});

describe('equalErrorRate', () => {
  it('takes t1 when the sums tie: t1 = 5 (1/8, 2/8), t2 = 7 (2/8, 1/8)', () => {
    expect(equalErrorRate(GENUINE, IMPOSTOR)).toEqual({ eer: 0.1875, low: 0.125, high: 0.25, threshold: 5 });
  });

  it('is the common rate when the curves cross exactly at a threshold', () => {
    // t = 4: FMR = #{4} / 4 = 1/4, FNMR = #{3} / 4 = 1/4.
    expect(equalErrorRate([3, 4, 5, 6], [1, 2, 3, 4])).toEqual({ eer: 0.25, low: 0.25, high: 0.25, threshold: 4 });
  });

  it('takes t2 when its sum is smaller', () => {
    // t1 = 2: FNMR 1/8, FMR 2/8 (sum 3/8); t2 = 3: FNMR 1/8, FMR 0 (sum 1/8).
    const genuine = [1, 3, 3, 3, 3, 3, 3, 3];
    const impostor = [1, 1, 1, 1, 1, 1, 2, 2];

    // Act
    const result = equalErrorRate(genuine, impostor);

    // Assess
    expect(result).toEqual({ eer: 0.0625, low: 0, high: 0.125, threshold: 3 });
  });

  it('is 0 for fully separated scores', () => {
    // t1 = 3 (FNMR 0, FMR 0): the curves meet there.
    expect(equalErrorRate([3, 4], [1, 2])).toEqual({ eer: 0, low: 0, high: 0, threshold: 3 });
  });
});

describe('percentiles', () => {
  it('uses the nearest rank, never interpolating', () => {
    // Rank ceil(q * 5): q 0 -> 1 (clamped), 0.05 -> 1, 0.3 -> 2, 0.4 -> 2, 0.5 -> 3, 1 -> 5.
    expect(percentiles([50, 15, 40, 20, 35], [0, 0.05, 0.3, 0.4, 0.5, 1])).toEqual([15, 15, 20, 20, 35, 50]);
  });

  it('gives NaN for an empty list and rejects q outside [0, 1]', () => {
    expect(percentiles([], [0.5])).toEqual([NaN]);
    expect(() => percentiles([1], [1.01])).toThrow(RangeError);
  });
});

describe('histogram', () => {
  it('counts half-open bins and puts out-of-range values in the end bins', () => {
    // Bins of width 2 over [0, 6): [0, 2) [2, 4) [4, 6).
    expect(histogram([-1, 0, 1.99, 2, 3, 5.5, 6, 100], 0, 6, 3)).toEqual([3, 2, 3]);
  });
});

describe('wilsonInterval', () => {
  it('is [0, z^2 / (n + z^2)] for no errors', () => {
    const [lo, hi] = wilsonInterval(0, 10, 2);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(4 / 14, 12);
  });

  it('is symmetric around a half', () => {
    // z = 2, n = 4, p = 0.5: centre 0.5, half-width (2 / 2) * sqrt(0.25 / 4 + 4 / 64) = sqrt(0.125).
    const [lo, hi] = wilsonInterval(2, 4, 2);
    expect(lo).toBeCloseTo(0.5 - Math.sqrt(0.125), 12);
    expect(hi).toBeCloseTo(0.5 + Math.sqrt(0.125), 12);
  });
});
