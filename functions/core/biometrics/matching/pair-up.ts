import * as angles from './angles';
import { sortPairs } from './pair-sort';
import type { PreparedTemplate } from './prepare';
import type { MatcherScratch } from './scratch';
import * as tuning from './tuning';

// Module-local copies of the imports the loops use: a transpiling loader (vitest, CommonJS) turns
// every read of an imported binding into a getter call, several times slower in the hot loop.
const { angleDiff, wrapNear } = angles;
const { GRID_CELL, GRID_MARGIN, INV_GRID_CELL, MAX_LEVEL } = tuning;

/**
 * Pairs probe minutiae (moved by the alignment) with candidate minutiae within the tolerances,
 * one-to-one, cheapest pairs first (ties: the pair found first). Leaves the pairs in
 * scratch.matchedProbe / scratch.matchedCand, cheapest first; returns the count.
 */
export function pairUp(
  p: PreparedTemplate,
  c: PreparedTemplate,
  scratch: MatcherScratch,
  rotation: number,
  tx: number,
  ty: number,
  distTol: number,
  angleTol: number,
): number {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const distTol2 = distTol * distTol;
  const reach = distTol + GRID_MARGIN;
  const probeOf = scratch.pairProbe;
  const candOf = scratch.pairCand;
  const level = scratch.pairLevel;
  const px0 = p.x;
  const py0 = p.y;
  const pAngle = p.angle;
  const cx = c.x;
  const cy = c.y;
  const cAngle = c.angle;
  const cellStart = c.cellStart;
  const cellItems = c.cellItems;
  const cols = c.gridCols;
  const rows = c.gridRows;
  let count = 0;
  let minLevel = MAX_LEVEL;
  let maxLevel = 0;
  for (let i = 0; i < p.n; i++) {
    const x0 = px0[i]!;
    const y0 = py0[i]!;
    const px = cos * x0 - sin * y0 + tx;
    const py = sin * x0 + cos * y0 + ty;
    // The candidate's grid cells around the moved point (cells are at least distTol wide): of the
    // 3 x 3 around its cell, those the square of side 2 distTol around it touches, in the same order.
    const col = Math.floor(px / GRID_CELL);
    const row = Math.floor(-py / GRID_CELL);
    if (col < -1 || row < -1 || col > cols || row > rows) continue;
    let colFrom = Math.floor((px - reach) * INV_GRID_CELL);
    if (colFrom > cols - 1) colFrom = cols - 1;
    if (colFrom < col - 1) colFrom = col - 1;
    if (colFrom < 0) colFrom = 0;
    let colTo = Math.floor((px + reach) * INV_GRID_CELL);
    if (colTo < 0) colTo = 0;
    if (colTo > col + 1) colTo = col + 1;
    if (colTo > cols - 1) colTo = cols - 1;
    let rowFrom = Math.floor((-py - reach) * INV_GRID_CELL);
    if (rowFrom > rows - 1) rowFrom = rows - 1;
    if (rowFrom < row - 1) rowFrom = row - 1;
    if (rowFrom < 0) rowFrom = 0;
    let rowTo = Math.floor((-py + reach) * INV_GRID_CELL);
    if (rowTo < 0) rowTo = 0;
    if (rowTo > row + 1) rowTo = row + 1;
    if (rowTo > rows - 1) rowTo = rows - 1;
    let pa = -1;
    for (let r = rowFrom; r <= rowTo; r++) {
      const rowCell = r * cols;
      const end = cellStart[rowCell + colTo + 1]!;
      // The cells of one grid row are contiguous in cellItems.
      for (let e = cellStart[rowCell + colFrom]!; e < end; e++) {
        const j = cellItems[e]!;
        const dx = cx[j]! - px;
        const dy = cy[j]! - py;
        const d2 = dx * dx + dy * dy;
        if (d2 >= distTol2) continue;
        if (pa < 0) pa = wrapNear(pAngle[i]! + rotation);
        const da = angleDiff(pa, cAngle[j]!);
        if (da >= angleTol) continue;
        probeOf[count] = i;
        candOf[count] = j;
        // Cost 0..2, in steps of 1e-4.
        const lv = Math.floor((Math.sqrt(d2) / distTol + da / angleTol) * 1e4);
        level[count] = lv;
        if (lv < minLevel) minLevel = lv;
        if (lv > maxLevel) maxLevel = lv;
        count++;
      }
    }
  }
  sortPairs(scratch, count, minLevel, maxLevel);
  const order = scratch.pairOrder;
  const usedP = scratch.usedProbe;
  const usedC = scratch.usedCand;
  const outP = scratch.matchedProbe;
  const outC = scratch.matchedCand;
  if (scratch.pairing === 0x7fffffff) {
    usedP.fill(0);
    usedC.fill(0);
    scratch.pairing = 0;
  }
  const mark = ++scratch.pairing;
  let matched = 0;
  for (let k = 0; k < count; k++) {
    const e = order[k]!;
    const i = probeOf[e]!;
    const j = candOf[e]!;
    if (usedP[i] === mark || usedC[j] === mark) continue;
    usedP[i] = mark;
    usedC[j] = mark;
    outP[matched] = i;
    outC[matched] = j;
    matched++;
  }
  return matched;
}
