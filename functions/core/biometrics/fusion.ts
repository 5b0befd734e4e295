import type { MatchOutcome } from '#core/schemas';

/** Fused tenprint scores at which a candidate is a match, or worth an examiner's look. */
export interface MatchThresholds {
  match: number;
  inconclusive: number;
}

/**
 * Per-finger score up to which a comparison carries no evidence: the baseline matcher's impostor
 * single-finger score at the 99th percentile (measured 8.02; see DEFAULT_THRESHOLDS).
 */
export const FINGER_NOISE_FLOOR = 8;

/**
 * Most evidence one finger can add, so that one fluke finger, or two fingers alone, can never make a
 * match: FINGER_EVIDENCE_CAP * 2 < DEFAULT_THRESHOLDS.match.
 */
export const FINGER_EVIDENCE_CAP = 40;

/**
 * Set from measurement: `npx tsx bench/biometrics/calibrate-matcher.ts` (seed 20081027; enrolled fingers are
 * good impressions, probes other impressions of the same or another subject's fingers; baseline
 * matcher 1.0.0, noise floor 8, cap 40). Measured figures:
 * - single finger: genuine good probe median 68.5 (min 41.8); genuine poor probe median 26.8
 *   (p10 16.2); impostor median 2.5, p99 8.02, p99.9 10.9, max 16.0 over 110,000 comparisons;
 * - impostor tenprints (10,000, ten fingers): 90% fuse to 0, p99.9 6.6, max 8.4; resampled from
 *   the single-finger pool (1,000,000): 1 in 20,000 at 8.1, max 12.3;
 * - unmated searches against 2,000 identities (300, best of 20 shortlisted): p99 6.6, max 12.5;
 * - mated tenprints with 8-10 good fingers: min 313.8, median 360; 1 poor finger: median 18.1,
 *   max 40; 2 poor fingers: median 37.3, max 67.9.
 * inconclusive = 13: at or above every impostor figure (the best unmated search, 12.5, rounded up),
 * so that with 20 candidates verified per search a false 'inconclusive' stays near 1 in 1,000
 * searches (0 of 300 measured; 1 of 300 at 12).
 * match = 100: above what one or two fingers can ever give (2 x cap = 80; poor pairs reach 67.9),
 * i.e. a match needs at least three fingers with clear evidence; every mated good tenprint is far
 * above it (min 313.8). Outcomes measured at 100 / 13: mated good tenprints 400/400 match; one
 * poor finger 294/400 inconclusive (the rest no-match); two poor fingers 395/400 inconclusive;
 * impostor tenprints 0/10,000 inconclusive or match.
 */
export const DEFAULT_THRESHOLDS: MatchThresholds = { match: 100, inconclusive: 13 };

/** What one finger's score adds to the tenprint: the part above the impostor noise floor, capped. */
export function fingerEvidence(score: number): number {
  return Math.min(FINGER_EVIDENCE_CAP, Math.max(0, score - FINGER_NOISE_FLOOR));
}

/**
 * Tenprint fusion: the sum of the fingers' evidence (score above the noise floor, capped per finger).
 * A position listed twice counts once, with its best score.
 */
export function fuseFingerScores(scores: { position: number; score: number }[]): number {
  const best = new Map<number, number>();
  for (const { position, score } of scores) best.set(position, Math.max(best.get(position) ?? 0, score));
  let fused = 0;
  for (const score of best.values()) fused += fingerEvidence(score);
  return fused;
}

export function classifyScore(score: number, thresholds: MatchThresholds = DEFAULT_THRESHOLDS): MatchOutcome {
  if (score >= thresholds.match) return 'match';
  if (score >= thresholds.inconclusive) return 'inconclusive';
  return 'no-match';
}
