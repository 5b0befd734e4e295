import type { MinutiaeTemplate } from '#core/schemas';
import * as angles from './angles';
import * as neighbours from './nearest';
import type { MatcherScratch } from './scratch';
import * as tuning from './tuning';

// Module-local copies of the imports the loops use: a transpiling loader (vitest, CommonJS) turns
// every read of an imported binding into a getter call, several times slower in the loops.
const { DEG, wrapNear } = angles;
const { nearest } = neighbours;
const {
  BIN_MARGIN,
  DIRECTION_BIN,
  DIRECTION_BINS,
  DISTANCE_BUCKET,
  GRID_CELL,
  GROUPS,
  LOCAL_ANGLE_TOL,
  NEIGHBOURS,
  TURN_CLASSES,
} = tuning;

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

/** Row-major grid cell of a point (rows run along -y: image rows), clamped to the grid. */
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

/**
 * Precomputes (and caches per template object) the matcher's view of a template. Templates are
 * treated as immutable: a template mutated after its first comparison keeps its cached structure.
 */
export function prepare(template: MinutiaeTemplate, scratch: MatcherScratch): PreparedTemplate {
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
  scratch.growForTemplate(n, cells);
  const nearIndex = scratch.nearIndex;
  const nearDistance = scratch.nearDistance;
  const cellOf = scratch.cellOf;
  const cellFill = scratch.cellFill;

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

  const groupSize = scratch.groupFill;
  groupSize.fill(0);
  let maxDistance = 0;
  for (let i = 0; i < n; i++) {
    nearest(x, y, n, i, scratch);
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
