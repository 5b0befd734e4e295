import { TEMPLATE_LIMITS, type MinutiaeTemplate } from '#core/schemas';

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
/**
 * Direction bins of the local-structure lookup, half as wide as the angle tolerance: a query reads
 * the 4 or 5 bins its +-30 degree window touches (75 degrees scanned for 60 wanted).
 */
const DIRECTION_BINS = 24;
const DIRECTION_BIN = TWO_PI / DIRECTION_BINS;
/**
 * Each direction bin split in two by the neighbour's relative direction: within 90 degrees of
 * parallel, or of anti-parallel. Ridges flow smoothly, so about 80% of relative directions lie within
 * 30 degrees of 0 or 180: a query reads one half (both only near 90 or 270 degrees).
 */
const TURN_CLASSES = 2;
const GROUPS = DIRECTION_BINS * TURN_CLASSES;
/** A hair more than rounding, so a bin range computed in floating point never misses an edge. */
const BIN_MARGIN = 1e-9;
/** Distance buckets (px) of the local-structure lookup: where a distance range starts, without a search. */
const DISTANCE_BUCKET = 4;
/** Anchor pairs (best local-structure similarities) tried as alignment hypotheses. */
const ANCHORS = 5;
/** Pairing tolerances after the anchor alignment (coarse) and after the least-squares refinement. */
const COARSE_DISTANCE_TOL = 28;
const COARSE_ANGLE_TOL = 35 * DEG;
const DISTANCE_TOL = 18;
const ANGLE_TOL = 25 * DEG;
/** An anchor whose coarse alignment pairs fewer minutiae than this is not worth refining. */
const MIN_COARSE_PAIRS = 3;
/** Grid cell size: at least the largest pairing distance, so a query looks at 3 x 3 cells at most. */
const GRID_CELL = COARSE_DISTANCE_TOL;
/** Widens a pairing query's box of cells by a hair more than rounding. */
const GRID_MARGIN = 1e-3;
const INV_GRID_CELL = 1 / GRID_CELL;

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
  /** Neighbours per minutia: NEIGHBOURS, or n - 1 if fewer. */
  readonly neighbours: number;
  /**
   * Per minutia i, slot i * NEIGHBOURS + s for s < neighbours, nearest first: distance, direction
   * of the neighbour seen from i, and relative direction.
   */
  readonly nbDistance: Float64Array;
  readonly nbDirection: Float64Array;
  readonly nbTurn: Float64Array;
  /**
   * Per slot, what a query from it reads: the first direction bin (may be negative: taken modulo
   * DIRECTION_BINS) and the number of bins; the first turn class (0 or 1) and the number of classes.
   */
  readonly nbBinFrom: Int32Array;
  readonly nbBinCount: Int32Array;
  readonly nbClassFrom: Int32Array;
  readonly nbClassCount: Int32Array;
  /**
   * Every (minutia, neighbour) slot, grouped by the neighbour's direction bin and turn class (group
   * bin * TURN_CLASSES + class, CSR layout in groupStart) and sorted by distance within a group.
   */
  readonly groupStart: Int32Array;
  readonly slotDistance: Float64Array;
  readonly slotOwner: Int32Array;
  readonly slotDirection: Float64Array;
  readonly slotTurn: Float64Array;
  /**
   * Per group g and distance bucket k (0 .. distanceBuckets), at g * (distanceBuckets + 1) + k: the
   * first slot of the group whose distance is at least k * DISTANCE_BUCKET px.
   */
  readonly distanceBuckets: number;
  readonly bucketStart: Int32Array;
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

/**
 * wrap() without the floating-point remainder (a library call) in the usual cases, with the same
 * result to the bit: for a in [2 pi, 4 pi), a % 2 pi is a - 2 pi exactly (Sterbenz), and for a in
 * (-2 pi, 0), a % 2 pi is a itself.
 */
function wrapNear(a: number): number {
  if (a >= 0) {
    if (a < TWO_PI) return a;
    if (a < 2 * TWO_PI) return a - TWO_PI;
  } else if (a > -TWO_PI) {
    return a + TWO_PI;
  }
  return wrap(a);
}

/** Absolute difference of two angles given in [0, 2 pi) (or within 2 pi of that), in [0, pi]. */
function angleDiff(a: number, b: number): number {
  // Math.abs, not a branch on the sign: no misprediction (the branch's -0 is the same number here).
  let d = Math.abs(a - b);
  if (d >= TWO_PI) d %= TWO_PI;
  return d > Math.PI ? TWO_PI - d : d;
}

function cellIndex(cols: number, rows: number, x: number, y: number): number {
  const col = Math.min(cols - 1, Math.max(0, Math.floor(x / GRID_CELL)));
  const row = Math.min(rows - 1, Math.max(0, Math.floor(-y / GRID_CELL)));
  return row * cols + col;
}

/** Lookup group of a (minutia, neighbour) slot: its direction bin and turn class. */
function slotGroup(direction: number, turn: number): number {
  const bin = Math.min(DIRECTION_BINS - 1, Math.floor(direction / DIRECTION_BIN));
  return bin * TURN_CLASSES + (Math.floor((turn + Math.PI / 2) / Math.PI) & 1);
}

const cache = new WeakMap<MinutiaeTemplate, PreparedTemplate>();

// prepare() scratch, grown on demand.
let squared = new Float64Array(256);
let nearIndex = new Int32Array(256);
let nearDistance = new Float64Array(256);
let cellOf = new Int32Array(256);
let cellFill = new Int32Array(256);
const groupFill = new Int32Array(GROUPS);

/**
 * The nearest neighbours of minutia i, nearest first, ties in distance by index: exactly the first k
 * of all other minutiae sorted (stably) by Math.hypot distance, without sorting them all. Candidates
 * are chosen on exact squared distances (integer coordinates): every minutia not among the k nearest
 * by squared distance is strictly farther, by far more than Math.hypot's rounding, than k others.
 * Minutiae tied on the k-th squared distance are all kept and ordered by their Math.hypot distances,
 * as the full sort did. Leaves them in nearIndex / nearDistance; returns k.
 */
function nearest(x: Float64Array, y: Float64Array, n: number, i: number): number {
  const k = Math.min(NEIGHBOURS, n - 1);
  if (k <= 0) return 0;
  const d2 = squared;
  const xi = x[i]!;
  const yi = y[i]!;
  // The k smallest squared distances, ascending; threshold = the k-th.
  let t0 = Infinity;
  let t1 = Infinity;
  let t2 = Infinity;
  let t3 = Infinity;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    const dx = x[j]! - xi;
    const dy = y[j]! - yi;
    const d = dx * dx + dy * dy;
    d2[j] = d;
    if (d >= t3) continue;
    if (d < t2) {
      t3 = t2;
      if (d < t1) {
        t2 = t1;
        if (d < t0) {
          t1 = t0;
          t0 = d;
        } else t1 = d;
      } else t2 = d;
    } else t3 = d;
  }
  const threshold = k === 1 ? t0 : k === 2 ? t1 : k === 3 ? t2 : t3;
  // Everything within the threshold, by index, then a stable insertion sort on the hypot distance.
  const idx = nearIndex;
  const dist = nearDistance;
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (j === i || d2[j]! > threshold) continue;
    const d = Math.hypot(x[j]! - xi, y[j]! - yi);
    let s = m++;
    while (s > 0 && dist[s - 1]! > d) {
      dist[s] = dist[s - 1]!;
      idx[s] = idx[s - 1]!;
      s--;
    }
    dist[s] = d;
    idx[s] = j;
  }
  return k;
}

/**
 * Precomputes (and caches per template object) the matcher's view of a template. Templates are
 * treated as immutable: a template mutated after its first comparison keeps its cached structure.
 */
export function prepare(template: MinutiaeTemplate): PreparedTemplate {
  const cached = cache.get(template);
  if (cached) return cached;

  const minutiae = template.minutiae;
  const n = minutiae.length;
  const k = Math.max(0, Math.min(NEIGHBOURS, n - 1));
  const nbSlots = n * NEIGHBOURS;
  const slots = n * k;
  const gridCols = Math.max(1, Math.ceil(template.width / GRID_CELL));
  const gridRows = Math.max(1, Math.ceil(template.height / GRID_CELL));
  const cells = gridCols * gridRows;
  if (squared.length < n) {
    squared = new Float64Array(n);
    nearIndex = new Int32Array(n);
    nearDistance = new Float64Array(n);
    cellOf = new Int32Array(n);
  }
  if (cellFill.length < cells) cellFill = new Int32Array(cells);

  // The floating-point arrays share one buffer (an allocation costs more than the work here).
  const floats = new Float64Array(3 * n + 3 * nbSlots + 3 * slots);
  let at = 0;
  const next = (length: number) => floats.subarray(at, (at += length));
  const x = next(n);
  const y = next(n);
  const angle = next(n);
  const nbDistance = next(nbSlots);
  const nbDirection = next(nbSlots);
  const nbTurn = next(nbSlots);
  const slotDistance = next(slots);
  const slotDirection = next(slots);
  const slotTurn = next(slots);

  for (let i = 0; i < n; i++) {
    const m = minutiae[i]!;
    x[i] = m.x;
    y[i] = -m.y;
    angle[i] = wrapNear(m.angle * DEG);
  }

  const groupSize = groupFill;
  groupSize.fill(0);
  let maxDistance = 0;
  for (let i = 0; i < n; i++) {
    nearest(x, y, n, i);
    for (let s = 0; s < k; s++) {
      const j = nearIndex[s]!;
      const slot = i * NEIGHBOURS + s;
      const d = nearDistance[s]!;
      const direction = wrapNear(Math.atan2(y[j]! - y[i]!, x[j]! - x[i]!) - angle[i]!);
      const turn = wrapNear(angle[j]! - angle[i]!);
      nbDistance[slot] = d;
      nbDirection[slot] = direction;
      nbTurn[slot] = turn;
      groupSize[slotGroup(direction, turn)]!++;
      if (d > maxDistance) maxDistance = d;
    }
  }
  const distanceBuckets = Math.floor(maxDistance / DISTANCE_BUCKET) + 1;
  const stride = distanceBuckets + 1;

  // Likewise the integer arrays.
  const ints = new Int32Array(4 * nbSlots + slots + GROUPS + 1 + GROUPS * stride + cells + 1 + n);
  at = 0;
  const nextInts = (length: number) => ints.subarray(at, (at += length));
  const nbBinFrom = nextInts(nbSlots);
  const nbBinCount = nextInts(nbSlots);
  const nbClassFrom = nextInts(nbSlots);
  const nbClassCount = nextInts(nbSlots);
  const slotOwner = nextInts(slots);
  const groupStart = nextInts(GROUPS + 1);
  const bucketStart = nextInts(GROUPS * stride);
  const cellStart = nextInts(cells + 1);
  const cellItems = nextInts(n);

  // What a query from each slot reads: the bins and classes within the angle tolerance.
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const slot = i * NEIGHBOURS + s;
      const direction = nbDirection[slot]!;
      const turn = nbTurn[slot]!;
      const from = Math.floor((direction - LOCAL_ANGLE_TOL - BIN_MARGIN) / DIRECTION_BIN);
      const to = Math.floor((direction + LOCAL_ANGLE_TOL + BIN_MARGIN) / DIRECTION_BIN);
      nbBinFrom[slot] = from;
      nbBinCount[slot] = Math.min(DIRECTION_BINS, to - from + 1);
      const classFrom = Math.floor((turn + Math.PI / 2 - LOCAL_ANGLE_TOL - BIN_MARGIN) / Math.PI);
      const classTo = Math.floor((turn + Math.PI / 2 + LOCAL_ANGLE_TOL + BIN_MARGIN) / Math.PI);
      nbClassFrom[slot] = classFrom & 1;
      nbClassCount[slot] = Math.min(TURN_CLASSES, classTo - classFrom + 1);
    }
  }

  // Slots grouped (a counting sort, in slot order), then by distance within a group (an insertion
  // sort: groups hold a few slots).
  for (let g = 0; g < GROUPS; g++) {
    groupStart[g + 1] = groupStart[g]! + groupSize[g]!;
    groupSize[g] = groupStart[g]!;
  }
  const fillGroup = groupSize;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const slot = i * NEIGHBOURS + s;
      const direction = nbDirection[slot]!;
      const turn = nbTurn[slot]!;
      const g = slotGroup(direction, turn);
      const first = groupStart[g]!;
      const d = nbDistance[slot]!;
      let q = fillGroup[g]!++;
      while (q > first && slotDistance[q - 1]! > d) {
        slotDistance[q] = slotDistance[q - 1]!;
        slotOwner[q] = slotOwner[q - 1]!;
        slotDirection[q] = slotDirection[q - 1]!;
        slotTurn[q] = slotTurn[q - 1]!;
        q--;
      }
      slotDistance[q] = d;
      slotOwner[q] = i;
      slotDirection[q] = direction;
      slotTurn[q] = turn;
    }
  }
  for (let g = 0; g < GROUPS; g++) {
    let q = groupStart[g]!;
    const end = groupStart[g + 1]!;
    for (let b = 0; b <= distanceBuckets; b++) {
      while (q < end && slotDistance[q]! < b * DISTANCE_BUCKET) q++;
      bucketStart[g * stride + b] = q;
    }
  }

  for (let i = 0; i < n; i++) {
    const cell = cellIndex(gridCols, gridRows, x[i]!, y[i]!);
    cellOf[i] = cell;
    cellStart[cell + 1]!++;
  }
  for (let c = 0; c < cells; c++) {
    cellStart[c + 1]! += cellStart[c]!;
    cellFill[c] = cellStart[c]!;
  }
  for (let i = 0; i < n; i++) cellItems[cellFill[cellOf[i]!]!++] = i;

  const prepared: PreparedTemplate = {
    n,
    x,
    y,
    angle,
    neighbours: k,
    nbDistance,
    nbDirection,
    nbTurn,
    nbBinFrom,
    nbBinCount,
    nbClassFrom,
    nbClassCount,
    groupStart,
    slotDistance,
    slotOwner,
    slotDirection,
    slotTurn,
    distanceBuckets,
    bucketStart,
    gridCols,
    gridRows,
    cellStart,
    cellItems,
  };
  cache.set(template, prepared);
  return prepared;
}

/** Highest cost level of a pair (cost below 2 in steps of 1e-4; one more for rounding). */
const MAX_LEVEL = 20_001;
/** Pairs sorted by level bucket (level >> LEVEL_BUCKET_SHIFT) first, unless this few. */
const LEVEL_BUCKET_SHIFT = 7;
const SMALL_SORT = 16;

// Scratch buffers, grown on demand; compare() is synchronous so one set serves every call.
let pairProbe = new Int32Array(256);
let pairCand = new Int32Array(256);
let pairLevel = new Int32Array(256);
let pairOrder = new Int32Array(256);
const levelBucket = new Int32Array((MAX_LEVEL >> LEVEL_BUCKET_SHIFT) + 2);
let usedProbe = new Int32Array(256);
let usedCand = new Int32Array(256);
let matchedProbe = new Int32Array(256);
let matchedCand = new Int32Array(256);
let rowScore = new Float64Array(256);
let bestForCand = new Float64Array(256);
let touched = new Int32Array(256);
let rowTouched = new Int32Array(256);
/** Marks usedProbe / usedCand entries of the current pairing, so they need no clearing between pairings. */
let pairing = 0;
const anchorScore = new Float64Array(ANCHORS);
const anchorProbe = new Int32Array(ANCHORS);
const anchorCand = new Int32Array(ANCHORS);
/** Final alignments tried for the current comparison, and the pairs each gave. */
const alignedRotation = new Float64Array(ANCHORS);
const alignedTx = new Float64Array(ANCHORS);
const alignedTy = new Float64Array(ANCHORS);
const alignedPairs = new Int32Array(ANCHORS);
/** The alignment refine() computed last. */
let refinedRotation = 0;
let refinedTx = 0;
let refinedTy = 0;

function ensureScratch(pairs: number, minutiae: number): void {
  if (pairProbe.length < pairs) {
    pairProbe = new Int32Array(pairs);
    pairCand = new Int32Array(pairs);
    pairLevel = new Int32Array(pairs);
    pairOrder = new Int32Array(pairs);
  }
  if (usedProbe.length < minutiae) {
    usedProbe = new Int32Array(minutiae);
    usedCand = new Int32Array(minutiae);
    pairing = 0;
    matchedProbe = new Int32Array(minutiae);
    matchedCand = new Int32Array(minutiae);
    rowScore = new Float64Array(minutiae);
    bestForCand = new Float64Array(minutiae);
    touched = new Int32Array(minutiae);
    rowTouched = new Int32Array(minutiae);
  }
}

/**
 * The ANCHORS best (probe minutia, candidate minutia) pairs by local-structure similarity, best
 * first, ties in the order (probe, candidate) ascending; into anchorProbe / anchorCand (-1: none).
 * The similarity of a pair: for each probe neighbour, the best agreeing neighbour of the candidate
 * minutia (distance within 12 px, direction and relative angle within 30 degrees), summed; 0 to
 * NEIGHBOURS. One probe minutia's row of similarities at a time, in rowScore.
 */
function findAnchors(p: PreparedTemplate, c: PreparedTemplate): void {
  // Locals, not module bindings or property loads, in the hot loop.
  const row = rowScore;
  const best = bestForCand;
  const hit = touched;
  const rowHit = rowTouched;
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
  const aScore = anchorScore;
  const aProbe = anchorProbe;
  const aCand = anchorCand;
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

/**
 * Puts pairs 0 .. count - 1 in order of cost level, ties by pair number (a stable sort), into
 * pairOrder: a bucket pass on the level's high bits, then an insertion pass over the nearly sorted
 * result. minLevel / maxLevel bound the levels.
 */
function sortPairs(count: number, minLevel: number, maxLevel: number): void {
  const level = pairLevel;
  const order = pairOrder;
  if (count <= SMALL_SORT) {
    for (let k = 0; k < count; k++) order[k] = k;
  } else {
    const first = minLevel >> LEVEL_BUCKET_SHIFT;
    const buckets = (maxLevel >> LEVEL_BUCKET_SHIFT) - first + 1;
    const at = levelBucket;
    at.fill(0, 0, buckets + 1);
    for (let k = 0; k < count; k++) at[(level[k]! >> LEVEL_BUCKET_SHIFT) - first + 1]!++;
    for (let b = 0; b < buckets; b++) at[b + 1]! += at[b]!;
    for (let k = 0; k < count; k++) order[at[(level[k]! >> LEVEL_BUCKET_SHIFT) - first]!++] = k;
  }
  for (let k = 1; k < count; k++) {
    const e = order[k]!;
    const v = level[e]!;
    let q = k;
    while (q > 0 && level[order[q - 1]!]! > v) {
      order[q] = order[q - 1]!;
      q--;
    }
    order[q] = e;
  }
}

/**
 * Pairs probe minutiae (moved by the alignment) with candidate minutiae within the tolerances,
 * one-to-one, cheapest pairs first (ties: the pair found first). Leaves the pairs in matchedProbe /
 * matchedCand, cheapest first; returns the count.
 */
function pairUp(
  p: PreparedTemplate,
  c: PreparedTemplate,
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
  const probeOf = pairProbe;
  const candOf = pairCand;
  const level = pairLevel;
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
  sortPairs(count, minLevel, maxLevel);
  const order = pairOrder;
  const usedP = usedProbe;
  const usedC = usedCand;
  const outP = matchedProbe;
  const outC = matchedCand;
  if (pairing === 0x7fffffff) {
    usedP.fill(0);
    usedC.fill(0);
    pairing = 0;
  }
  const mark = ++pairing;
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

/**
 * Least-squares rigid transform (rotation + translation) of the paired probe points onto the
 * candidate's, into refinedRotation / refinedTx / refinedTy.
 */
function refine(p: PreparedTemplate, c: PreparedTemplate, matched: number): void {
  const px = p.x;
  const py = p.y;
  const cx = c.x;
  const cy = c.y;
  const mp = matchedProbe;
  const mc = matchedCand;
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
  refinedRotation = rotation;
  refinedTx = cxm - (cos * pxm - sin * pym);
  refinedTy = cym - (sin * pxm + cos * pym);
}

/** Number of minutiae paired under the best alignment found from the anchor hypotheses. */
export function pairedMinutiae(p: PreparedTemplate, c: PreparedTemplate): number {
  if (p.n === 0 || c.n === 0) return 0;
  if (p.n > TEMPLATE_LIMITS.maxMinutiae || c.n > TEMPLATE_LIMITS.maxMinutiae) {
    throw new RangeError(`a template has more than ${TEMPLATE_LIMITS.maxMinutiae} minutiae`);
  }
  ensureScratch(p.n * c.n, Math.max(p.n, c.n));
  findAnchors(p, c);

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
    let matched = pairUp(p, c, rotation, tx, ty, COARSE_DISTANCE_TOL, COARSE_ANGLE_TOL);
    if (matched < MIN_COARSE_PAIRS) continue;
    // Two rounds of least squares on the pairs, each followed by a strict pairing.
    refine(p, c, matched);
    matched = pairUp(p, c, refinedRotation, refinedTx, refinedTy, DISTANCE_TOL, ANGLE_TOL);
    if (matched >= 2) {
      refine(p, c, matched);
      // Anchors of one finger often refine to the very same alignment (to the bit): pair it up once.
      let seen = -1;
      for (let a = 0; a < aligned && seen < 0; a++) {
        if (alignedRotation[a] === refinedRotation && alignedTx[a] === refinedTx && alignedTy[a] === refinedTy)
          seen = a;
      }
      if (seen >= 0) {
        matched = alignedPairs[seen]!;
      } else {
        matched = pairUp(p, c, refinedRotation, refinedTx, refinedTy, DISTANCE_TOL, ANGLE_TOL);
        alignedRotation[aligned] = refinedRotation;
        alignedTx[aligned] = refinedTx;
        alignedTy[aligned] = refinedTy;
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
