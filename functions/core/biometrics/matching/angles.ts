export const TWO_PI = Math.PI * 2;
export const DEG = Math.PI / 180;

/** The angle in [0, 2 pi). */
export function wrap(angle: number): number {
  const a = angle % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}

/**
 * wrap() without the floating-point remainder (a library call) in the usual cases, with the same
 * result to the bit: for a in [2 pi, 4 pi), a % 2 pi is a - 2 pi exactly (Sterbenz), and for a in
 * (-2 pi, 0), a % 2 pi is a itself.
 */
export function wrapNear(a: number): number {
  if (a >= 0) {
    if (a < TWO_PI) return a;
    if (a < 2 * TWO_PI) return a - TWO_PI;
  } else if (a > -TWO_PI) {
    return a + TWO_PI;
  }
  return wrap(a);
}

/** Absolute difference of two angles given in [0, 2 pi) (or within 2 pi of that), in [0, pi]. */
export function angleDiff(a: number, b: number): number {
  // Math.abs, not a branch on the sign: no misprediction (the branch's -0 is the same number here).
  let d = Math.abs(a - b);
  if (d >= TWO_PI) d %= TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}
