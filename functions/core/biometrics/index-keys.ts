import type { FingerPosition, MinutiaeTemplate } from '../schemas';

/**
 * The candidate index: keys that turn a probe into a short list of gallery subjects without a scan.
 *
 * A key describes one minutia triangle: a minutia and its two nearest neighbours. Everything in it is
 * invariant to rotation and translation: the two side lengths at the minutia (shorter, longer), the
 * angle between those sides, the minutia's direction relative to the bisector of that angle, and how
 * many of the two neighbours run in the same direction as the minutia (0-2). Each value is quantised;
 * the key is prefixed with the finger position, e.g. "2:1:3:2:7:2".
 *
 * A triangle survives a new impression only if its three minutiae do and the neighbours stay the
 * nearest, so one finger's keys are weak evidence; a tenprint's several indexed fingers together rank
 * the mate first (scripts/calibrate-matcher.ts measures how often).
 */

/** Fingers the gallery indexes: thumbs and index fingers, the ones best printed and most often present (AFIS practice). */
export const INDEXED_POSITIONS: readonly FingerPosition[] = [1, 2, 6, 7];

const DEG = Math.PI / 180;

/** Quantisation: side lengths in px (500 ppi), angles in degrees. */
const DISTANCE_BIN = 10;
const MAX_DISTANCE_BIN = 15;
const OPENING_BIN = 30;
const OPENING_BINS = 6;
const DIRECTION_BIN = 30;
const DIRECTION_BINS = 12;
/** A probe value this close to a bin edge (share of the bin width) also looks up the next bin. */
const PROBE_MARGIN = 0.2;

/** Key budgets per finger: enrolment items per finger and index lookups per probe finger. */
export const MAX_ENROLMENT_KEYS = 120;
export const MAX_PROBE_KEYS = 150;

interface Triangle {
  /** Shorter and longer side at the minutia, px. */
  near: number;
  far: number;
  /** Angle between the two sides at the minutia, degrees in [0, 180]. */
  opening: number;
  /** Minutia direction relative to the bisector of the opening, degrees in [0, 360). */
  direction: number;
  /** Neighbours whose direction is within 90 degrees of the minutia's. */
  parallel: number;
  /** Lowest quality of the three minutiae: keys from better triangles are kept first. */
  quality: number;
}

function wrapDegrees(degrees: number): number {
  const d = degrees % 360;
  return d < 0 ? d + 360 : d;
}

function triangles(template: MinutiaeTemplate): Triangle[] {
  const ms = template.minutiae;
  const n = ms.length;
  // Math orientation (x, -y), so that angles are counter-clockwise like the template's.
  const x = ms.map((m) => m.x);
  const y = ms.map((m) => -m.y);
  const result: Triangle[] = [];
  for (let i = 0; i < n; i++) {
    let j = -1;
    let k = -1;
    let dj = Infinity;
    let dk = Infinity;
    for (let q = 0; q < n; q++) {
      if (q === i) continue;
      const d = Math.hypot(x[q]! - x[i]!, y[q]! - y[i]!);
      if (d < dj) {
        k = j;
        dk = dj;
        j = q;
        dj = d;
      } else if (d < dk) {
        k = q;
        dk = d;
      }
    }
    if (k < 0 || dj === 0 || dk === 0) continue;
    const mi = ms[i]!;
    const mj = ms[j]!;
    const mk = ms[k]!;
    const ujx = (x[j]! - x[i]!) / dj;
    const ujy = (y[j]! - y[i]!) / dj;
    const ukx = (x[k]! - x[i]!) / dk;
    const uky = (y[k]! - y[i]!) / dk;
    const cosOpening = Math.max(-1, Math.min(1, ujx * ukx + ujy * uky));
    const bisector = Math.atan2(ujy + uky, ujx + ukx) / DEG;
    const sameWay = (a: number, b: number) => (Math.cos((a - b) * DEG) > 0 ? 1 : 0);
    result.push({
      near: dj,
      far: dk,
      opening: Math.acos(cosOpening) / DEG,
      direction: wrapDegrees(mi.angle - bisector),
      parallel: sameWay(mj.angle, mi.angle) + sameWay(mk.angle, mi.angle),
      quality: Math.min(mi.quality, mj.quality, mk.quality),
    });
  }
  // Best triangles first; the sort is stable, so equal qualities keep the template's order.
  return result.sort((a, b) => b.quality - a.quality);
}

/** The bin of a value, and, when asked and the value sits near an edge, the neighbouring bin too. */
function bins(value: number, width: number, withNeighbour: boolean): number[] {
  const scaled = value / width;
  const bin = Math.floor(scaled);
  if (!withNeighbour) return [bin];
  const frac = scaled - bin;
  if (frac < PROBE_MARGIN) return [bin, bin - 1];
  if (frac > 1 - PROBE_MARGIN) return [bin, bin + 1];
  return [bin];
}

const clampBin = (max: number) => (bin: number) => Math.min(max, Math.max(0, bin));
const wrapBin = (count: number) => (bin: number) => (bin + count) % count;

/** Keys of one triangle: the exact cell first, then (for probes) the neighbouring cells near an edge. */
function triangleKeys(position: FingerPosition, t: Triangle, withNeighbours: boolean): string[] {
  const near = [...new Set(bins(t.near, DISTANCE_BIN, withNeighbours).map(clampBin(MAX_DISTANCE_BIN)))];
  const far = [...new Set(bins(t.far, DISTANCE_BIN, withNeighbours).map(clampBin(MAX_DISTANCE_BIN)))];
  const opening = [...new Set(bins(t.opening, OPENING_BIN, withNeighbours).map(clampBin(OPENING_BINS - 1)))];
  const direction = [...new Set(bins(t.direction, DIRECTION_BIN, withNeighbours).map(wrapBin(DIRECTION_BINS)))];
  const keys: string[] = [];
  for (const a of near) {
    for (const b of far) {
      for (const o of opening) {
        for (const d of direction) keys.push(`${position}:${a}:${b}:${o}:${d}:${t.parallel}`);
      }
    }
  }
  return keys;
}

/** Index keys under which a gallery finger is enrolled: one per triangle, deduplicated, at most MAX_ENROLMENT_KEYS. */
export function enrolmentKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  const keys = new Set<string>();
  for (const t of triangles(template)) {
    if (keys.size >= MAX_ENROLMENT_KEYS) break;
    for (const key of triangleKeys(position, t, false)) keys.add(key);
  }
  return [...keys];
}

/**
 * Index keys a probe finger looks up: every triangle's own cell first, then the neighbouring cells of
 * values near a bin edge (tolerance to capture noise), deduplicated, at most MAX_PROBE_KEYS.
 */
export function probeKeys(position: FingerPosition, template: MinutiaeTemplate): string[] {
  const tris = triangles(template);
  const keys = new Set<string>();
  const tolerant = tris.map((t) => triangleKeys(position, t, true));
  // Pass 0 adds each triangle's exact key (always the first), pass 1 its neighbours.
  for (const pass of [0, 1]) {
    for (const list of tolerant) {
      const chosen = pass === 0 ? list.slice(0, 1) : list.slice(1);
      for (const key of chosen) {
        if (keys.size >= MAX_PROBE_KEYS) return [...keys];
        keys.add(key);
      }
    }
  }
  return [...keys];
}
