import type { MatcherScratch } from './scratch';
import * as tuning from './tuning';

// Module-local copies of the imports the loops use: a transpiling loader (vitest, CommonJS) turns
// every read of an imported binding into a getter call, several times slower in the hot loop.
const { LEVEL_BUCKET_SHIFT, SMALL_SORT } = tuning;

/**
 * Puts the candidate pairs 0 .. count - 1 in order of cost level (scratch.pairLevel), ties by pair
 * number (a stable sort), into scratch.pairOrder: a bucket pass on the level's high bits, then an
 * insertion pass over the nearly sorted result. minLevel / maxLevel bound the levels.
 */
export function sortPairs(scratch: MatcherScratch, count: number, minLevel: number, maxLevel: number): void {
  const level = scratch.pairLevel;
  const order = scratch.pairOrder;
  if (count <= SMALL_SORT) {
    for (let k = 0; k < count; k++) order[k] = k;
  } else {
    const first = minLevel >> LEVEL_BUCKET_SHIFT;
    const buckets = (maxLevel >> LEVEL_BUCKET_SHIFT) - first + 1;
    const at = scratch.levelBucket;
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
