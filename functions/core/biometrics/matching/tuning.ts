import { DEG, TWO_PI } from './angles';

/** Neighbours per minutia in its local structure. */
export const NEIGHBOURS = 4;
/** Local-structure tolerances: neighbour distance (px) and relative angles (radians). */
export const LOCAL_DISTANCE_TOL = 12;
export const LOCAL_ANGLE_TOL = 30 * DEG;
/**
 * Direction bins of the local-structure lookup, half as wide as the angle tolerance: a query reads
 * the 4 or 5 bins its +-30 degree window touches (75 degrees scanned for 60 wanted).
 */
export const DIRECTION_BINS = 24;
export const DIRECTION_BIN = TWO_PI / DIRECTION_BINS;
/**
 * Each direction bin split in two by the neighbour's relative direction: within 90 degrees of
 * parallel, or of anti-parallel. Ridges flow smoothly, so about 80% of relative directions lie within
 * 30 degrees of 0 or 180: a query reads one half (both only near 90 or 270 degrees).
 */
export const TURN_CLASSES = 2;
export const GROUPS = DIRECTION_BINS * TURN_CLASSES;
/** A hair more than rounding, so a bin range computed in floating point never misses an edge. */
export const BIN_MARGIN = 1e-9;
/** Distance buckets (px) of the local-structure lookup: where a distance range starts, without a search. */
export const DISTANCE_BUCKET = 4;
/** Anchor pairs (best local-structure similarities) tried as alignment hypotheses. */
export const ANCHORS = 5;
/** Pairing tolerances after the anchor alignment (coarse) and after the least-squares refinement. */
export const COARSE_DISTANCE_TOL = 28;
export const COARSE_ANGLE_TOL = 35 * DEG;
export const DISTANCE_TOL = 18;
export const ANGLE_TOL = 25 * DEG;
/** An anchor whose coarse alignment pairs fewer minutiae than this is not worth refining. */
export const MIN_COARSE_PAIRS = 3;
/** Grid cell size: at least the largest pairing distance, so a query looks at 3 x 3 cells at most. */
export const GRID_CELL = COARSE_DISTANCE_TOL;
/** Widens a pairing query's box of cells by a hair more than rounding. */
export const GRID_MARGIN = 1e-3;
export const INV_GRID_CELL = 1 / GRID_CELL;
/** Highest cost level of a pair (cost below 2 in steps of 1e-4; one more for rounding). */
export const MAX_LEVEL = 20_001;
/** Pairs sorted by level bucket (level >> LEVEL_BUCKET_SHIFT) first, unless this few. */
export const LEVEL_BUCKET_SHIFT = 7;
export const SMALL_SORT = 16;
