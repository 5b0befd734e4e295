import type { MinutiaeTemplate } from '#core/schemas';
import { TEMPLATE_LIMITS } from '#core/schemas/template';
import { findAnchors } from './matching/anchors';
import { pairUp } from './matching/pair-up';
import { prepare as prepareWith, type PreparedTemplate } from './matching/prepare';
import { refine } from './matching/refine';
import { MatcherScratch } from './matching/scratch';
import {
  ANCHORS,
  ANGLE_TOL,
  COARSE_ANGLE_TOL,
  COARSE_DISTANCE_TOL,
  DISTANCE_TOL,
  MIN_COARSE_PAIRS,
} from './matching/tuning';

export type { PreparedTemplate } from './matching/prepare';

/** One-to-one comparison of two finger templates. */
export interface FingerMatcher {
  readonly algorithm: string;
  readonly version: string;
  /** Similarity >= 0; higher is more similar; about 0 for different fingers. Symmetric in intent, not guaranteed. */
  compare(probe: MinutiaeTemplate, candidate: MinutiaeTemplate): number;
}

const scratch = new MatcherScratch();

/**
 * Precomputes (and caches per template object) the matcher's view of a template. Templates are
 * treated as immutable: a template mutated after its first comparison keeps its cached structure.
 */
export function prepare(template: MinutiaeTemplate): PreparedTemplate {
  return prepareWith(template, scratch);
}

/** Number of minutiae paired under the best alignment found from the anchor hypotheses. */
export function pairedMinutiae(p: PreparedTemplate, c: PreparedTemplate): number {
  if (p.n === 0 || c.n === 0) return 0;
  if (p.n > TEMPLATE_LIMITS.maxMinutiae || c.n > TEMPLATE_LIMITS.maxMinutiae) {
    throw new RangeError(`a template has more than ${TEMPLATE_LIMITS.maxMinutiae} minutiae`);
  }
  const s = scratch;
  s.growForComparison(p.n * c.n, Math.max(p.n, c.n));
  findAnchors(p, c, s);

  const anchorProbe = s.anchorProbe;
  const anchorCand = s.anchorCand;
  const alignedRotation = s.alignedRotation;
  const alignedTx = s.alignedTx;
  const alignedTy = s.alignedTy;
  const alignedPairs = s.alignedPairs;
  let best = 0;
  let aligned = 0;
  for (let k = 0; k < ANCHORS; k++) {
    const i = anchorProbe[k]!;
    const j = anchorCand[k]!;
    if (i < 0) break;
    // Align the probe anchor onto the candidate anchor: same direction, same place.
    const rotation = c.angle[j]! - p.angle[i]!;
    const cos = Math.cos(rotation);
    const sin = Math.sin(rotation);
    const tx = c.x[j]! - (cos * p.x[i]! - sin * p.y[i]!);
    const ty = c.y[j]! - (sin * p.x[i]! + cos * p.y[i]!);
    let matched = pairUp(p, c, s, rotation, tx, ty, COARSE_DISTANCE_TOL, COARSE_ANGLE_TOL);
    if (matched < MIN_COARSE_PAIRS) continue;
    // Two rounds of least squares on the pairs, each followed by a strict pairing.
    refine(p, c, s, matched);
    matched = pairUp(p, c, s, s.refinedRotation, s.refinedTx, s.refinedTy, DISTANCE_TOL, ANGLE_TOL);
    if (matched >= 2) {
      refine(p, c, s, matched);
      const rotation = s.refinedRotation;
      const tx = s.refinedTx;
      const ty = s.refinedTy;
      // Anchors of one finger often refine to the very same alignment (to the bit): pair it up once.
      let seen = -1;
      for (let a = 0; a < aligned && seen < 0; a++) {
        if (alignedRotation[a] === rotation && alignedTx[a] === tx && alignedTy[a] === ty) seen = a;
      }
      if (seen >= 0) {
        matched = alignedPairs[seen]!;
      } else {
        matched = pairUp(p, c, s, rotation, tx, ty, DISTANCE_TOL, ANGLE_TOL);
        alignedRotation[aligned] = rotation;
        alignedTx[aligned] = tx;
        alignedTy[aligned] = ty;
        alignedPairs[aligned] = matched;
        aligned++;
      }
    }
    if (matched > best) best = matched;
  }
  return best;
}

/**
 * Baseline minutiae matcher: local structures (each minutia's 4 nearest neighbours, relative to its
 * direction) propose anchor pairs; each anchor aligns the probe onto the candidate (rotation and
 * translation), the alignment is refined by least squares, and minutiae are paired one-to-one within
 * 18 px and 25 degrees. Score = 100 * paired^2 / (probe minutiae * candidate minutiae).
 */
export const baselineMatcher: FingerMatcher = {
  algorithm: 'baseline-local-structure-alignment',
  version: '1.0.0',
  compare(probe, candidate) {
    const p = prepare(probe);
    const c = prepare(candidate);
    if (p.n === 0 || c.n === 0) return 0;
    const paired = pairedMinutiae(p, c);
    return (100 * paired * paired) / (p.n * c.n);
  },
};
