import * as angles from './angles';
import type { PreparedTemplate } from './prepare';
import type { MatcherScratch } from './scratch';
import * as tuning from './tuning';

// Module-local copies of the imports the loops use: a transpiling loader (vitest, CommonJS) turns
// every read of an imported binding into a getter call, several times slower in the hot loop.
const { angleDiff } = angles;
const { ANCHORS, DIRECTION_BINS, DISTANCE_BUCKET, LOCAL_ANGLE_TOL, LOCAL_DISTANCE_TOL, NEIGHBOURS, TURN_CLASSES } =
  tuning;

/**
 * The ANCHORS best (probe minutia, candidate minutia) pairs by local-structure similarity, best
 * first, ties in the order (probe, candidate) ascending; into scratch.anchorProbe /
 * scratch.anchorCand (-1: none).
 * The similarity of a pair: for each probe neighbour, the best agreeing neighbour of the candidate
 * minutia (distance within 12 px, direction and relative angle within 30 degrees), summed; 0 to
 * NEIGHBOURS. One probe minutia's row of similarities at a time, in rowScore.
 */
export function findAnchors(p: PreparedTemplate, c: PreparedTemplate, scratch: MatcherScratch): void {
  // Locals, not property loads, in the hot loop.
  const row = scratch.rowScore;
  const best = scratch.bestForCand;
  const hit = scratch.touched;
  const rowHit = scratch.rowTouched;
  const k = p.neighbours;
  const pDistance = p.nbDistance;
  const pDirection = p.nbDirection;
  const pTurnArr = p.nbTurn;
  const pBinFrom = p.nbBinFrom;
  const pBinCount = p.nbBinCount;
  const pClassFrom = p.nbClassFrom;
  const pClassCount = p.nbClassCount;
  const start = c.groupStart;
  const buckets = c.distanceBuckets;
  const stride = buckets + 1;
  const bucketStart = c.bucketStart;
  const cDistance = c.slotDistance;
  const cDirection = c.slotDirection;
  const cTurn = c.slotTurn;
  const owner = c.slotOwner;
  const aScore = scratch.anchorScore;
  const aProbe = scratch.anchorProbe;
  const aCand = scratch.anchorCand;
  aScore.fill(0);
  aProbe.fill(-1);
  aCand.fill(-1);
  for (let i = 0; i < p.n; i++) {
    let nRow = 0;
    for (let s = 0; s < k; s++) {
      const ps = i * NEIGHBOURS + s;
      const pd = pDistance[ps]!;
      const pDir = pDirection[ps]!;
      const pTurn = pTurnArr[ps]!;
      let nTouched = 0;
      const from = pd - LOCAL_DISTANCE_TOL;
      const to = pd + LOCAL_DISTANCE_TOL;
      // First distance bucket that can hold a distance above `from`.
      let bucket = from > 0 ? Math.floor(from / DISTANCE_BUCKET) : 0;
      if (bucket > buckets) bucket = buckets;
      const binFrom = pBinFrom[ps]!;
      const binEnd = binFrom + pBinCount[ps]!;
      const classFrom = pClassFrom[ps]!;
      const classEnd = classFrom + pClassCount[ps]!;
      for (let b = binFrom; b < binEnd; b++) {
        const bin = b < 0 ? b + DIRECTION_BINS : b >= DIRECTION_BINS ? b - DIRECTION_BINS : b;
        for (let t = classFrom; t < classEnd; t++) {
          const group = bin * TURN_CLASSES + (t & 1);
          const end = start[group + 1]!;
          for (let q = bucketStart[group * stride + bucket]!; q < end; q++) {
            const cd = cDistance[q]!;
            if (cd >= to) break;
            if (cd <= from) continue;
            const dt = angleDiff(pTurn, cTurn[q]!);
            if (dt >= LOCAL_ANGLE_TOL) continue;
            const da = angleDiff(pDir, cDirection[q]!);
            if (da >= LOCAL_ANGLE_TOL) continue;
            const dd = cd > pd ? cd - pd : pd - cd;
            const sim = 1 - (dd / LOCAL_DISTANCE_TOL + da / LOCAL_ANGLE_TOL + dt / LOCAL_ANGLE_TOL) / 3;
            const j = owner[q]!;
            const prev = best[j]!;
            if (sim > prev) {
              if (prev === 0) hit[nTouched++] = j;
              best[j] = sim;
            }
          }
        }
      }
      for (let t = 0; t < nTouched; t++) {
        const j = hit[t]!;
        const before = row[j]!;
        if (before === 0) rowHit[nRow++] = j;
        row[j] = before + best[j]!;
        best[j] = 0;
      }
    }
    // This row's pairs into the anchors, kept sorted: best first, then by (probe, candidate), so the
    // order the row's pairs come in does not matter.
    for (let t = 0; t < nRow; t++) {
      const j = rowHit[t]!;
      const score = row[j]!;
      row[j] = 0;
      const last = aScore[ANCHORS - 1]!;
      if (score < last) continue;
      // Rows come in order, so an anchor of an earlier row ranks first on an equal score.
      if (score === last && (aProbe[ANCHORS - 1]! < i || (aProbe[ANCHORS - 1]! === i && aCand[ANCHORS - 1]! < j)))
        continue;
      let a = ANCHORS - 1;
      while (
        a > 0 &&
        (aScore[a - 1]! < score || (aScore[a - 1]! === score && aProbe[a - 1]! === i && aCand[a - 1]! > j))
      ) {
        aScore[a] = aScore[a - 1]!;
        aProbe[a] = aProbe[a - 1]!;
        aCand[a] = aCand[a - 1]!;
        a--;
      }
      aScore[a] = score;
      aProbe[a] = i;
      aCand[a] = j;
    }
  }
}
