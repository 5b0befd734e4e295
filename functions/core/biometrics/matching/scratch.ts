import { ANCHORS, GROUPS, LEVEL_BUCKET_SHIFT, MAX_LEVEL } from './tuning';

/**
 * Every working buffer of the matcher, grown on demand and reused: preparing and comparing are
 * synchronous, so one instance serves every call. Stages read the arrays they need into locals once
 * per call (after growing them), never through this object inside a loop.
 */
export class MatcherScratch {
  // Preparing a template.
  /** Squared distances from the minutia whose neighbours are being found. */
  squared = new Float64Array(256);
  /** The nearest neighbours found last, nearest first, and their distances. */
  nearIndex = new Int32Array(256);
  nearDistance = new Float64Array(256);
  /** Grid cell of each minutia, and the next free item of each cell. */
  cellOf = new Int32Array(256);
  cellFill = new Int32Array(256);
  /** Slots per lookup group, then the next free slot of each group. */
  readonly groupFill = new Int32Array(GROUPS);

  // Comparing two templates.
  /** Candidate pairs of one pairing: probe minutia, candidate minutia, cost level; and their order. */
  pairProbe = new Int32Array(256);
  pairCand = new Int32Array(256);
  pairLevel = new Int32Array(256);
  pairOrder = new Int32Array(256);
  readonly levelBucket = new Int32Array((MAX_LEVEL >> LEVEL_BUCKET_SHIFT) + 2);
  /** Minutiae taken by the current pairing: those marked with `pairing`. */
  usedProbe = new Int32Array(256);
  usedCand = new Int32Array(256);
  /** Marks usedProbe / usedCand entries of the current pairing, so they need no clearing between pairings. */
  pairing = 0;
  /** The pairs of the last pairing, cheapest first. */
  matchedProbe = new Int32Array(256);
  matchedCand = new Int32Array(256);
  /** One probe minutia's row of local-structure similarities, and the candidates it touched. */
  rowScore = new Float64Array(256);
  bestForCand = new Float64Array(256);
  touched = new Int32Array(256);
  rowTouched = new Int32Array(256);
  /** The anchor pairs found, best first (-1: none). */
  readonly anchorScore = new Float64Array(ANCHORS);
  readonly anchorProbe = new Int32Array(ANCHORS);
  readonly anchorCand = new Int32Array(ANCHORS);
  /** Final alignments tried for the current comparison, and the pairs each gave. */
  readonly alignedRotation = new Float64Array(ANCHORS);
  readonly alignedTx = new Float64Array(ANCHORS);
  readonly alignedTy = new Float64Array(ANCHORS);
  readonly alignedPairs = new Int32Array(ANCHORS);
  /** The alignment refine() computed last. */
  refinedRotation = 0;
  refinedTx = 0;
  refinedTy = 0;

  /** Room to prepare a template of `minutiae` minutiae on a grid of `cells` cells. */
  growForTemplate(minutiae: number, cells: number): void {
    if (this.squared.length < minutiae) {
      this.squared = new Float64Array(minutiae);
      this.nearIndex = new Int32Array(minutiae);
      this.nearDistance = new Float64Array(minutiae);
      this.cellOf = new Int32Array(minutiae);
    }
    if (this.cellFill.length < cells) this.cellFill = new Int32Array(cells);
  }

  /** Room to compare templates with up to `pairs` candidate pairs and `minutiae` minutiae each. */
  growForComparison(pairs: number, minutiae: number): void {
    if (this.pairProbe.length < pairs) {
      this.pairProbe = new Int32Array(pairs);
      this.pairCand = new Int32Array(pairs);
      this.pairLevel = new Int32Array(pairs);
      this.pairOrder = new Int32Array(pairs);
    }
    if (this.usedProbe.length < minutiae) {
      this.usedProbe = new Int32Array(minutiae);
      this.usedCand = new Int32Array(minutiae);
      this.pairing = 0;
      this.matchedProbe = new Int32Array(minutiae);
      this.matchedCand = new Int32Array(minutiae);
      this.rowScore = new Float64Array(minutiae);
      this.bestForCand = new Float64Array(minutiae);
      this.touched = new Int32Array(minutiae);
      this.rowTouched = new Int32Array(minutiae);
    }
  }
}
