import { TEMPLATE_LIMITS, type MinutiaeTemplate } from '../schemas';

/** One-to-one comparison of two finger templates. */
export interface FingerMatcher {
  readonly algorithm: string;
  readonly version: string;
  /** Similarity >= 0; higher is more similar; about 0 for different fingers. Symmetric in intent, not guaranteed. */
  compare(probe: MinutiaeTemplate, candidate: MinutiaeTemplate): number;
}

const TWO_PI = Math.PI * 2;
const DEG = Math.PI / 180;

/** Neighbours per minutia in its local structure. */
const NEIGHBOURS = 4;
/** Local-structure tolerances: neighbour distance (px) and relative angles (radians). */
const LOCAL_DISTANCE_TOL = 12;
const LOCAL_ANGLE_TOL = 30 * DEG;
/** Direction bins of the local-structure lookup: as wide as the tolerance, so a query reads 3 bins. */
const DIRECTION_BINS = 12;
const DIRECTION_BIN = TWO_PI / DIRECTION_BINS;
/** Anchor pairs (best local-structure similarities) tried as alignment hypotheses. */
const ANCHORS = 5;
/** Pairing tolerances after the anchor alignment (coarse) and after the least-squares refinement. */
const COARSE_DISTANCE_TOL = 28;
const COARSE_ANGLE_TOL = 35 * DEG;
const DISTANCE_TOL = 18;
const ANGLE_TOL = 25 * DEG;
/** An anchor whose coarse alignment pairs fewer minutiae than this is not worth refining. */
const MIN_COARSE_PAIRS = 3;
/** Grid cell size: at least the largest pairing distance, so a query looks at 3 x 3 cells. */
const GRID_CELL = COARSE_DISTANCE_TOL;

/**
 * A template turned into what the matcher works on: coordinates in math orientation (x, -y),
 * angles in radians, and each minutia's local structure (its nearest neighbours described relative
 * to the minutia's own direction, hence invariant to rotation and translation).
 */
export interface PreparedTemplate {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly angle: Float64Array;
  /** Per minutia i, slot k = i * NEIGHBOURS + k: distance, direction of the neighbour seen from i, and relative direction. */
  readonly nbDistance: Float64Array;
  readonly nbDirection: Float64Array;
  readonly nbTurn: Float64Array;
  readonly nbCount: Uint8Array;
  /**
   * Every (minutia, neighbour) slot, grouped by the neighbour's direction (DIRECTION_BINS bins,
   * CSR layout in directionStart) and sorted by distance within a group, for range lookups.
   */
  readonly directionStart: Int32Array;
  readonly slotDistance: Float64Array;
  readonly slotOwner: Int32Array;
  readonly slotDirection: Float64Array;
  readonly slotTurn: Float64Array;
  /** Minutiae bucketed in square cells of GRID_CELL px (row-major, CSR layout), for neighbourhood queries. */
  readonly gridCols: number;
  readonly gridRows: number;
  readonly cellStart: Int32Array;
  readonly cellItems: Int32Array;
}

function wrap(angle: number): number {
  const a = angle % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}

/** Absolute difference of two angles given in [0, 2 pi) (or within 2 pi of that), in [0, pi]. */
function angleDiff(a: number, b: number): number {
  let d = a - b;
  if (d < 0) d = -d;
  if (d >= TWO_PI) d %= TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}

function cellIndex(cols: number, rows: number, x: number, y: number): number {
  const col = Math.min(cols - 1, Math.max(0, Math.floor(x / GRID_CELL)));
  const row = Math.min(rows - 1, Math.max(0, Math.floor(-y / GRID_CELL)));
  return row * cols + col;
}

const cache = new WeakMap<MinutiaeTemplate, PreparedTemplate>();

/**
 * Precomputes (and caches per template object) the matcher's view of a template. Templates are
 * treated as immutable: a template mutated after its first comparison keeps its cached structure.
 */
export function prepare(template: MinutiaeTemplate): PreparedTemplate {
  const cached = cache.get(template);
  if (cached) return cached;

  const n = template.minutiae.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const angle = new Float64Array(n);
  template.minutiae.forEach((m, i) => {
    x[i] = m.x;
    y[i] = -m.y;
    angle[i] = wrap(m.angle * DEG);
  });

  const nbDistance = new Float64Array(n * NEIGHBOURS);
  const nbDirection = new Float64Array(n * NEIGHBOURS);
  const nbTurn = new Float64Array(n * NEIGHBOURS);
  const nbCount = new Uint8Array(n);
  const order: number[] = [];
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      dist[j] = Math.hypot(x[j]! - x[i]!, y[j]! - y[i]!);
      order.push(j);
    }
    order.sort((a, b) => dist[a]! - dist[b]!);
    const k = Math.min(NEIGHBOURS, order.length);
    nbCount[i] = k;
    for (let s = 0; s < k; s++) {
      const j = order[s]!;
      const slot = i * NEIGHBOURS + s;
      nbDistance[slot] = dist[j]!;
      nbDirection[slot] = wrap(Math.atan2(y[j]! - y[i]!, x[j]! - x[i]!) - angle[i]!);
      nbTurn[slot] = wrap(angle[j]! - angle[i]!);
    }
  }

  const slots: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < nbCount[i]!; k++) slots.push(i * NEIGHBOURS + k);
  const directionBin = (slot: number) => Math.min(DIRECTION_BINS - 1, Math.floor(nbDirection[slot]! / DIRECTION_BIN));
  slots.sort((a, b) => directionBin(a) - directionBin(b) || nbDistance[a]! - nbDistance[b]!);
  const directionStart = new Int32Array(DIRECTION_BINS + 1);
  for (const slot of slots) directionStart[directionBin(slot) + 1]!++;
  for (let b = 0; b < DIRECTION_BINS; b++) directionStart[b + 1]! += directionStart[b]!;
  const slotDistance = Float64Array.from(slots, (slot) => nbDistance[slot]!);
  const slotOwner = Int32Array.from(slots, (slot) => Math.floor(slot / NEIGHBOURS));
  const slotDirection = Float64Array.from(slots, (slot) => nbDirection[slot]!);
  const slotTurn = Float64Array.from(slots, (slot) => nbTurn[slot]!);

  const gridCols = Math.max(1, Math.ceil(template.width / GRID_CELL));
  const gridRows = Math.max(1, Math.ceil(template.height / GRID_CELL));
  const cellOf = (i: number) => cellIndex(gridCols, gridRows, x[i]!, y[i]!);
  const cellStart = new Int32Array(gridCols * gridRows + 1);
  for (let i = 0; i < n; i++) cellStart[cellOf(i) + 1]!++;
  for (let k = 0; k < gridCols * gridRows; k++) cellStart[k + 1]! += cellStart[k]!;
  const fill = cellStart.slice(0, gridCols * gridRows);
  const cellItems = new Int32Array(n);
  for (let i = 0; i < n; i++) cellItems[fill[cellOf(i)]!++] = i;

  const prepared: PreparedTemplate = {
    n,
    x,
    y,
    angle,
    nbDistance,
    nbDirection,
    nbTurn,
    nbCount,
    directionStart,
    slotDistance,
    slotOwner,
    slotDirection,
    slotTurn,
    gridCols,
    gridRows,
    cellStart,
    cellItems,
  };
  cache.set(template, prepared);
  return prepared;
}

/** More than the candidate pairs one pairing can hold (maxMinutiae squared), for packing sort keys. */
const PAIR_SLOTS = TEMPLATE_LIMITS.maxMinutiae ** 2 + 1;

// Scratch buffers, grown on demand; compare() is synchronous so one set serves every call.
let pairProbe = new Int32Array(256);
let pairCand = new Int32Array(256);
let pairKey = new Float64Array(256);
let usedProbe = new Uint8Array(256);
let usedCand = new Uint8Array(256);
let matchedProbe = new Int32Array(256);
let matchedCand = new Int32Array(256);
let local = new Float64Array(4096);
let bestForCand = new Float64Array(256);
let touched = new Int32Array(256);

function ensureScratch(pairs: number, minutiae: number): void {
  if (pairProbe.length < pairs) {
    pairProbe = new Int32Array(pairs);
    pairCand = new Int32Array(pairs);
    pairKey = new Float64Array(pairs);
  }
  if (usedProbe.length < minutiae) {
    usedProbe = new Uint8Array(minutiae);
    usedCand = new Uint8Array(minutiae);
    matchedProbe = new Int32Array(minutiae);
    matchedCand = new Int32Array(minutiae);
    bestForCand = new Float64Array(minutiae);
    touched = new Int32Array(minutiae);
  }
  if (local.length < pairs) local = new Float64Array(pairs);
}

/**
 * Local-structure similarity of every (probe minutia, candidate minutia) pair, into local[i * c.n + j]:
 * for each probe neighbour, the best agreeing neighbour of the candidate minutia (distance within
 * 12 px, direction and relative angle within 30 degrees), summed; 0 to NEIGHBOURS.
 */
function localSimilarities(p: PreparedTemplate, c: PreparedTemplate): void {
  // Locals, not module bindings or property loads, in the hot loop.
  const out = local;
  const best = bestForCand;
  const hit = touched;
  const pCount = p.nbCount;
  const pDistance = p.nbDistance;
  const pDirection = p.nbDirection;
  const pTurnArr = p.nbTurn;
  const start = c.directionStart;
  const cDistance = c.slotDistance;
  const cDirection = c.slotDirection;
  const cTurn = c.slotTurn;
  const owner = c.slotOwner;
  const cn = c.n;
  out.fill(0, 0, p.n * cn);
  for (let i = 0; i < p.n; i++) {
    const row = i * cn;
    const k = pCount[i]!;
    for (let s = 0; s < k; s++) {
      const ps = i * NEIGHBOURS + s;
      const pd = pDistance[ps]!;
      const pDir = pDirection[ps]!;
      const pTurn = pTurnArr[ps]!;
      let nTouched = 0;
      const from = pd - LOCAL_DISTANCE_TOL;
      const to = pd + LOCAL_DISTANCE_TOL;
      const centre = Math.min(DIRECTION_BINS - 1, Math.floor(pDir / DIRECTION_BIN));
      for (let step = -1; step <= 1; step++) {
        const bin = (centre + step + DIRECTION_BINS) % DIRECTION_BINS;
        const end = start[bin + 1]!;
        // First slot of the bin whose distance is within the tolerance (sorted by distance).
        let lo = start[bin]!;
        let hi = end;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cDistance[mid]! <= from) lo = mid + 1;
          else hi = mid;
        }
        for (let q = lo; q < end; q++) {
          const cd = cDistance[q]!;
          if (cd >= to) break;
          const da = angleDiff(pDir, cDirection[q]!);
          if (da >= LOCAL_ANGLE_TOL) continue;
          const dt = angleDiff(pTurn, cTurn[q]!);
          if (dt >= LOCAL_ANGLE_TOL) continue;
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
      for (let t = 0; t < nTouched; t++) {
        const j = hit[t]!;
        out[row + j] = out[row + j]! + best[j]!;
        best[j] = 0;
      }
    }
  }
}

interface Alignment {
  rotation: number;
  tx: number;
  ty: number;
}

/**
 * Pairs probe minutiae (moved by the alignment) with candidate minutiae within the tolerances,
 * one-to-one, cheapest pairs first. Leaves the pairs in matchedProbe / matchedCand; returns the count.
 */
function pairUp(p: PreparedTemplate, c: PreparedTemplate, a: Alignment, distTol: number, angleTol: number): number {
  const cos = Math.cos(a.rotation);
  const sin = Math.sin(a.rotation);
  const distTol2 = distTol * distTol;
  const probeOf = pairProbe;
  const candOf = pairCand;
  const key = pairKey;
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
  for (let i = 0; i < p.n; i++) {
    const px = cos * px0[i]! - sin * py0[i]! + a.tx;
    const py = sin * px0[i]! + cos * py0[i]! + a.ty;
    const pa = wrap(pAngle[i]! + a.rotation);
    // The candidate's grid cells around the moved point (cells are at least distTol wide).
    const col = Math.floor(px / GRID_CELL);
    const row = Math.floor(-py / GRID_CELL);
    if (col < -1 || row < -1 || col > cols || row > rows) continue;
    const rowEnd = Math.min(rows - 1, row + 1);
    const colEnd = Math.min(cols - 1, col + 1);
    for (let r = Math.max(0, row - 1); r <= rowEnd; r++) {
      for (let q = Math.max(0, col - 1); q <= colEnd; q++) {
        const cell = r * cols + q;
        const end = cellStart[cell + 1]!;
        for (let e = cellStart[cell]!; e < end; e++) {
          const j = cellItems[e]!;
          const dx = cx[j]! - px;
          const dy = cy[j]! - py;
          const d2 = dx * dx + dy * dy;
          if (d2 >= distTol2) continue;
          const da = angleDiff(pa, cAngle[j]!);
          if (da >= angleTol) continue;
          probeOf[count] = i;
          candOf[count] = j;
          // Cost (0..2) and pair number in one sortable number: a native numeric sort, no comparator.
          key[count] = Math.floor((Math.sqrt(d2) / distTol + da / angleTol) * 1e4) * PAIR_SLOTS + count;
          count++;
        }
      }
    }
  }
  const order = key.subarray(0, count).sort();
  const usedP = usedProbe;
  const usedC = usedCand;
  const outP = matchedProbe;
  const outC = matchedCand;
  usedP.fill(0, 0, p.n);
  usedC.fill(0, 0, c.n);
  let matched = 0;
  for (let k = 0; k < count; k++) {
    const e = order[k]! % PAIR_SLOTS;
    const i = probeOf[e]!;
    const j = candOf[e]!;
    if (usedP[i] || usedC[j]) continue;
    usedP[i] = 1;
    usedC[j] = 1;
    outP[matched] = i;
    outC[matched] = j;
    matched++;
  }
  return matched;
}

/** Least-squares rigid transform (rotation + translation) of the paired probe points onto the candidate's. */
function refine(p: PreparedTemplate, c: PreparedTemplate, matched: number): Alignment {
  let pxm = 0;
  let pym = 0;
  let cxm = 0;
  let cym = 0;
  for (let k = 0; k < matched; k++) {
    pxm += p.x[matchedProbe[k]!]!;
    pym += p.y[matchedProbe[k]!]!;
    cxm += c.x[matchedCand[k]!]!;
    cym += c.y[matchedCand[k]!]!;
  }
  pxm /= matched;
  pym /= matched;
  cxm /= matched;
  cym /= matched;
  let dot = 0;
  let cross = 0;
  for (let k = 0; k < matched; k++) {
    const ax = p.x[matchedProbe[k]!]! - pxm;
    const ay = p.y[matchedProbe[k]!]! - pym;
    const bx = c.x[matchedCand[k]!]! - cxm;
    const by = c.y[matchedCand[k]!]! - cym;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
  }
  const rotation = Math.atan2(cross, dot);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  return { rotation, tx: cxm - (cos * pxm - sin * pym), ty: cym - (sin * pxm + cos * pym) };
}

/** Number of minutiae paired under the best alignment found from the anchor hypotheses. */
export function pairedMinutiae(p: PreparedTemplate, c: PreparedTemplate): number {
  if (p.n === 0 || c.n === 0) return 0;
  if (p.n > TEMPLATE_LIMITS.maxMinutiae || c.n > TEMPLATE_LIMITS.maxMinutiae) {
    throw new RangeError(`a template has more than ${TEMPLATE_LIMITS.maxMinutiae} minutiae`);
  }
  ensureScratch(p.n * c.n, Math.max(p.n, c.n));

  // The best anchor pairs by local-structure similarity (kept sorted, best first).
  const anchorScore = new Float64Array(ANCHORS);
  const anchorProbe = new Int32Array(ANCHORS).fill(-1);
  const anchorCand = new Int32Array(ANCHORS).fill(-1);
  localSimilarities(p, c);
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < c.n; j++) {
      const s = local[i * c.n + j]!;
      if (s <= anchorScore[ANCHORS - 1]!) continue;
      let k = ANCHORS - 1;
      while (k > 0 && anchorScore[k - 1]! < s) {
        anchorScore[k] = anchorScore[k - 1]!;
        anchorProbe[k] = anchorProbe[k - 1]!;
        anchorCand[k] = anchorCand[k - 1]!;
        k--;
      }
      anchorScore[k] = s;
      anchorProbe[k] = i;
      anchorCand[k] = j;
    }
  }

  let best = 0;
  for (let k = 0; k < ANCHORS; k++) {
    const i = anchorProbe[k]!;
    const j = anchorCand[k]!;
    if (i < 0) break;
    // Align the probe anchor onto the candidate anchor: same direction, same place.
    const rotation = c.angle[j]! - p.angle[i]!;
    const cos = Math.cos(rotation);
    const sin = Math.sin(rotation);
    const coarse: Alignment = {
      rotation,
      tx: c.x[j]! - (cos * p.x[i]! - sin * p.y[i]!),
      ty: c.y[j]! - (sin * p.x[i]! + cos * p.y[i]!),
    };
    let matched = pairUp(p, c, coarse, COARSE_DISTANCE_TOL, COARSE_ANGLE_TOL);
    if (matched < MIN_COARSE_PAIRS) continue;
    // Two rounds of least squares on the pairs, each followed by a strict pairing.
    const first = refine(p, c, matched);
    matched = pairUp(p, c, first, DISTANCE_TOL, ANGLE_TOL);
    if (matched >= 2) {
      const second = refine(p, c, matched);
      matched = pairUp(p, c, second, DISTANCE_TOL, ANGLE_TOL);
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
