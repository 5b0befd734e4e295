import type { FingerPosition, MinutiaeTemplate } from '#core/schemas';

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
 * (bench/biometrics/measure-index-recall.ts measures how often).
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
  /** Direction of the segment from the first minutia to the second, degrees (the pair's rotation in the image). */
  segment: number;
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
        segment,
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

/** A key, and the direction of its pair's segment read in the key's canonical orientation. */
export interface IndexEntry {
  key: string;
  /** Degrees in [0, 360): the pair's direction in the image; the search compares it across captures. */
  direction: number;
}

/** What a probe finger looks up: a key and the directions of the probe pairs that gave it. */
export interface ProbeEntry {
  key: string;
  directions: number[];
}

/** A probe key carries the directions of at most this many of its pairs (more add cost, not evidence). */
const MAX_DIRECTIONS_PER_PROBE_KEY = 2;

/**
 * The key of a pair in bins. Seen from the other minutia, the segment turns by 180 degrees, so the
 * direction bins swap places and move by half a turn (exact, as DIRECTION_BINS is even), and the
 * types swap: of the two readings, the lower one is the key, and the segment's direction is read
 * the same way (turned by 180 degrees when the second reading wins).
 */
function canonicalEntry(
  position: FingerPosition,
  distanceBin: number,
  first: number,
  second: number,
  firstType: number,
  secondType: number,
  segment: number,
): IndexEntry {
  const a = (first + DIRECTION_BINS) % DIRECTION_BINS;
  const b = (second + DIRECTION_BINS) % DIRECTION_BINS;
  const ra = (b + HALF_TURN_BINS) % DIRECTION_BINS;
  const rb = (a + HALF_TURN_BINS) % DIRECTION_BINS;
  const forward = a < ra || (a === ra && (b < rb || (b === rb && firstType <= secondType)));
  return forward
    ? { key: `${position}:${distanceBin}:${a}:${b}:${firstType}:${secondType}`, direction: wrapDegrees(segment) }
    : {
        key: `${position}:${distanceBin}:${ra}:${rb}:${secondType}:${firstType}`,
        direction: wrapDegrees(segment + 180),
      };
}

/** The pair's own cell. */
function exactEntry(position: FingerPosition, p: Pair): IndexEntry {
  return canonicalEntry(
    position,
    Math.floor(p.distance / DISTANCE_BIN),
    Math.floor(p.first / DIRECTION_BIN),
    Math.floor(p.second / DIRECTION_BIN),
    p.firstType,
    p.secondType,
    p.segment,
  );
}

/** The pair's neighbouring cells (the nearer neighbour of each value, and their combinations), with costs. */
function neighbourEntries(position: FingerPosition, p: Pair): Array<IndexEntry & { cost: number }> {
  const result: Array<IndexEntry & { cost: number }> = [];
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
        result.push({ ...canonicalEntry(position, d.bin, a.bin, b.bin, p.firstType, p.secondType, p.segment), cost });
      }
    }
  }
  return result;
}

/**
 * Index entries under which a gallery finger is enrolled: one per key (the shortest pair that gives
 * it), shortest first, at most MAX_ENROLMENT_KEYS.
 */
export function enrolmentEntries(position: FingerPosition, template: MinutiaeTemplate): IndexEntry[] {
  const entries = new Map<string, IndexEntry>();
  for (const p of pairs(template)) {
    if (entries.size >= MAX_ENROLMENT_KEYS) break;
    const entry = exactEntry(position, p);
    if (!entries.has(entry.key)) entries.set(entry.key, entry);
  }
  return [...entries.values()];
}

/** The keys of enrolmentEntries. */
export function enrolmentKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  return enrolmentEntries(position, template).map((entry) => entry.key);
}

/**
 * What a probe finger looks up: every pair's own cell first (shortest pairs first), then
 * neighbouring cells (tolerance to capture noise), the likeliest first (values nearest a bin edge),
 * at most MAX_PROBE_KEYS keys; each with the directions of its first MAX_DIRECTIONS_PER_PROBE_KEY pairs.
 */
export function probeEntries(position: FingerPosition, template: MinutiaeTemplate): ProbeEntry[] {
  const ps = pairs(template);
  const entries = new Map<string, ProbeEntry>();
  const add = ({ key, direction }: IndexEntry) => {
    const entry = entries.get(key);
    if (entry) {
      if (entry.directions.length < MAX_DIRECTIONS_PER_PROBE_KEY) entry.directions.push(direction);
    } else if (entries.size < MAX_PROBE_KEYS) {
      entries.set(key, { key, directions: [direction] });
    }
  };
  for (const p of ps) add(exactEntry(position, p));
  const neighbours = ps
    .flatMap((p, order) => neighbourEntries(position, p).map((n) => ({ ...n, order })))
    // Stable: equal costs keep the shorter pair first.
    .sort((x, y) => x.cost - y.cost || x.order - y.order);
  for (const neighbour of neighbours) add(neighbour);
  return [...entries.values()];
}

/** The keys of probeEntries. */
export function probeKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  return probeEntries(position, template).map((entry) => entry.key);
}
