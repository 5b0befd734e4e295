import type { FingerPosition, MinutiaeTemplate } from '../schemas';

/**
 * The candidate index: keys that turn a probe into a short list of gallery subjects without a scan.
 *
 * A key describes one minutia pair: two minutiae less than MAX_PAIR_DISTANCE apart. Everything in it
 * is invariant to rotation and translation: their distance, each minutia's direction relative to the
 * segment between them, and their two types. Each value is quantised and the pair is written in a
 * canonical orientation (the same two minutiae give the same key whichever is taken first); the key
 * is prefixed with the finger position, e.g. "2:4:11:5:0:1" (position : distance bin : direction
 * bins : types, 0 ending, 1 bifurcation, 2 other).
 *
 * Why pairs within a fixed radius rather than triangles of nearest neighbours: a poor capture keeps a
 * third or less of a finger's minutiae, so a minutia's nearest neighbours in the probe are seldom its
 * nearest in the enrolment and a nearest-neighbour triangle rarely survives. A pair survives when its
 * two minutiae do, whatever happens around them. One pair is weak evidence (buckets are large); the
 * many pairs of a tenprint's indexed fingers together rank the mate near the top
 * (scripts/measure-index-recall.ts measures how often).
 */

/** Fingers the gallery indexes: thumbs and index fingers, the ones best printed and most often present (AFIS practice). */
export const INDEXED_POSITIONS: readonly FingerPosition[] = [1, 2, 6, 7];

const DEG = Math.PI / 180;

/** Pairs farther apart than this (px, 500 ppi) are not keyed: long pairs suffer most from skin distortion. */
const MAX_PAIR_DISTANCE = 90;
/** Quantisation: distance in px, directions in degrees. DIRECTION_BINS must be even (see canonical). */
const DISTANCE_BIN = 10;
const DIRECTION_BIN = 30;
const DIRECTION_BINS = 360 / DIRECTION_BIN;
const HALF_TURN_BINS = DIRECTION_BINS / 2;
const TYPE_CODE = { ending: 0, bifurcation: 1, other: 2 } as const;

/** Key budgets per finger: enrolment items per finger and index lookups per probe finger. */
export const MAX_ENROLMENT_KEYS = 120;
export const MAX_PROBE_KEYS = 150;

interface Pair {
  /** Distance between the two minutiae, px. */
  distance: number;
  /** Direction of each minutia relative to the segment from the first to the second, degrees in [0, 360). */
  first: number;
  second: number;
  firstType: number;
  secondType: number;
}

function wrapDegrees(degrees: number): number {
  const d = degrees % 360;
  return d < 0 ? d + 360 : d;
}

/** Every pair of minutiae closer than MAX_PAIR_DISTANCE, shortest first (ties in template order). */
function pairs(template: MinutiaeTemplate): Pair[] {
  const ms = template.minutiae;
  const result: Pair[] = [];
  for (let i = 0; i < ms.length; i++) {
    const a = ms[i]!;
    for (let j = i + 1; j < ms.length; j++) {
      const b = ms[j]!;
      // Math orientation (x, -y), so that angles are counter-clockwise like the template's.
      const dx = b.x - a.x;
      const dy = a.y - b.y;
      const distance = Math.hypot(dx, dy);
      if (distance === 0 || distance >= MAX_PAIR_DISTANCE) continue;
      const segment = Math.atan2(dy, dx) / DEG;
      result.push({
        distance,
        first: wrapDegrees(a.angle - segment),
        second: wrapDegrees(b.angle - segment),
        firstType: TYPE_CODE[a.type],
        secondType: TYPE_CODE[b.type],
      });
    }
  }
  // The sort is stable, so equal distances keep the template's order.
  return result.sort((p, q) => p.distance - q.distance);
}

/**
 * A value's bin and, for probes, the nearer neighbouring bin with its cost: how far (in bin widths)
 * the value is from the edge between them. The closer to the edge, the likelier the other capture
 * fell on the other side.
 */
function binOptions(value: number, width: number): Array<{ bin: number; cost: number }> {
  const scaled = value / width;
  const bin = Math.floor(scaled);
  const frac = scaled - bin;
  return frac < 0.5
    ? [
        { bin, cost: 0 },
        { bin: bin - 1, cost: frac },
      ]
    : [
        { bin, cost: 0 },
        { bin: bin + 1, cost: 1 - frac },
      ];
}

/**
 * The key of a pair in bins. Seen from the other minutia, the segment turns by 180 degrees, so the
 * direction bins swap places and move by half a turn (exact, as DIRECTION_BINS is even), and the
 * types swap: of the two readings, the lower one is the key.
 */
function canonicalKey(
  position: FingerPosition,
  distanceBin: number,
  first: number,
  second: number,
  firstType: number,
  secondType: number,
): string {
  const a = (first + DIRECTION_BINS) % DIRECTION_BINS;
  const b = (second + DIRECTION_BINS) % DIRECTION_BINS;
  const ra = (b + HALF_TURN_BINS) % DIRECTION_BINS;
  const rb = (a + HALF_TURN_BINS) % DIRECTION_BINS;
  const forward = a < ra || (a === ra && (b < rb || (b === rb && firstType <= secondType)));
  return forward
    ? `${position}:${distanceBin}:${a}:${b}:${firstType}:${secondType}`
    : `${position}:${distanceBin}:${ra}:${rb}:${secondType}:${firstType}`;
}

/** The pair's own cell. */
function exactKey(position: FingerPosition, p: Pair): string {
  return canonicalKey(
    position,
    Math.floor(p.distance / DISTANCE_BIN),
    Math.floor(p.first / DIRECTION_BIN),
    Math.floor(p.second / DIRECTION_BIN),
    p.firstType,
    p.secondType,
  );
}

/** The pair's neighbouring cells (the nearer neighbour of each value, and their combinations), with costs. */
function neighbourKeys(position: FingerPosition, p: Pair): Array<{ key: string; cost: number }> {
  const result: Array<{ key: string; cost: number }> = [];
  const distances = binOptions(p.distance, DISTANCE_BIN);
  const firsts = binOptions(p.first, DIRECTION_BIN);
  const seconds = binOptions(p.second, DIRECTION_BIN);
  for (const d of distances) {
    if (d.bin < 0) continue;
    for (const a of firsts) {
      for (const b of seconds) {
        // The first option of each value is the pair's own cell.
        if (d === distances[0] && a === firsts[0] && b === seconds[0]) continue;
        const cost = d.cost + a.cost + b.cost;
        result.push({ key: canonicalKey(position, d.bin, a.bin, b.bin, p.firstType, p.secondType), cost });
      }
    }
  }
  return result;
}

/** Index keys under which a gallery finger is enrolled: one per pair, shortest first, deduplicated, at most MAX_ENROLMENT_KEYS. */
export function enrolmentKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  const keys = new Set<string>();
  for (const p of pairs(template)) {
    if (keys.size >= MAX_ENROLMENT_KEYS) break;
    keys.add(exactKey(position, p));
  }
  return [...keys];
}

/**
 * Index keys a probe finger looks up: every pair's own cell first (shortest pairs first), then
 * neighbouring cells (tolerance to capture noise), the likeliest first (values nearest a bin edge),
 * deduplicated, at most MAX_PROBE_KEYS.
 */
export function probeKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  const ps = pairs(template);
  const keys = new Set<string>();
  for (const p of ps) {
    if (keys.size >= MAX_PROBE_KEYS) return [...keys];
    keys.add(exactKey(position, p));
  }
  const neighbours = ps
    .flatMap((p, order) => neighbourKeys(position, p).map((n) => ({ ...n, order })))
    // Stable: equal costs keep the shorter pair first.
    .sort((x, y) => x.cost - y.cost || x.order - y.order);
  for (const { key } of neighbours) {
    if (keys.size >= MAX_PROBE_KEYS) break;
    keys.add(key);
  }
  return [...keys];
}
