import type { PreparedTemplate } from './prepare';
import type { MatcherScratch } from './scratch';

/**
 * Least-squares rigid transform (rotation + translation) of the paired probe points onto the
 * candidate's (scratch.matchedProbe / scratch.matchedCand), into scratch.refinedRotation /
 * scratch.refinedTx / scratch.refinedTy.
 */
export function refine(p: PreparedTemplate, c: PreparedTemplate, scratch: MatcherScratch, matched: number): void {
  const px = p.x;
  const py = p.y;
  const cx = c.x;
  const cy = c.y;
  const mp = scratch.matchedProbe;
  const mc = scratch.matchedCand;
  let pxm = 0;
  let pym = 0;
  let cxm = 0;
  let cym = 0;
  for (let k = 0; k < matched; k++) {
    pxm += px[mp[k]!]!;
    pym += py[mp[k]!]!;
    cxm += cx[mc[k]!]!;
    cym += cy[mc[k]!]!;
  }
  pxm /= matched;
  pym /= matched;
  cxm /= matched;
  cym /= matched;
  let dot = 0;
  let cross = 0;
  for (let k = 0; k < matched; k++) {
    const ax = px[mp[k]!]! - pxm;
    const ay = py[mp[k]!]! - pym;
    const bx = cx[mc[k]!]! - cxm;
    const by = cy[mc[k]!]! - cym;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
  }
  const rotation = Math.atan2(cross, dot);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  scratch.refinedRotation = rotation;
  scratch.refinedTx = cxm - (cos * pxm - sin * pym);
  scratch.refinedTy = cym - (sin * pxm + cos * pym);
}
