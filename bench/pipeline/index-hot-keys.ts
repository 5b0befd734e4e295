/**
 * Where the gallery index's hot keys are: for a synthetic gallery and a stream of synthetic bookings
 * (the demo's seeds), how often each index key is read and how many postings it holds. A key read
 * by a large share of searches is one DynamoDB item read by all of them: its partition's limit
 * (3,000 read units a second) caps the searches a second, whatever the table's capacity.
 * Key strings are derived from minutiae and are never printed, only their rank and finger position.
 */
import { INDEXED_POSITIONS, enrolmentKeys } from '#core/biometrics/index-keys';
import { probeIndexKeys } from '#core/biometrics/search';
import type { CapturedFinger } from '#core/schemas';
import { syntheticBooking } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';

/** A posting is about 2 bytes (index-postings.ts: a LEB128 gap of under 128, one direction byte). */
export const POSTING_BYTES = 2;
/** DynamoDB: a read unit is a strongly consistent read of up to 4 KB; an eventually consistent one costs half. */
const READ_UNIT_BYTES = 4096;
/** DynamoDB's limit per partition, and so per item: read units a second. */
export const PARTITION_READ_UNITS_PER_SECOND = 3000;

export interface HotKey {
  rank: number;
  position: number;
  /** Share of searches that read this key. */
  readShare: number;
  postings: number;
}

export interface IndexKeyLoad {
  gallerySize: number;
  searches: number;
  distinctKeysEnrolled: number;
  meanKeysPerSearch: number;
  meanPostingsPerKey: number;
  /** The most read keys, with their bucket size at this gallery size. */
  hottest: HotKey[];
  /** The largest bucket (by postings) and its share of searches. */
  largest: HotKey;
}

export function measureIndexKeyLoad(options: {
  gallerySize: number;
  gallerySeed: number;
  searches: number;
  bookingSeed: number;
}): IndexKeyLoad {
  const postings = new Map<string, number>();
  for (const identity of syntheticGallery(options.gallerySeed, options.gallerySize)) {
    for (const finger of identity.fingers) {
      if (!INDEXED_POSITIONS.includes(finger.position)) continue;
      for (const key of enrolmentKeys(finger.position, finger.template))
        postings.set(key, (postings.get(key) ?? 0) + 1);
    }
  }
  const reads = new Map<string, number>();
  let keysRead = 0;
  for (let i = 0; i < options.searches; i++) {
    const { booking } = syntheticBooking(
      { seed: options.bookingSeed, gallerySeed: options.gallerySeed, gallerySize: options.gallerySize },
      i,
    );
    const probe = booking.fingers.filter((finger): finger is CapturedFinger => finger.status === 'captured');
    const keys = new Set(probeIndexKeys(probe).flatMap(({ entries }) => entries.map(({ key }) => key)));
    keysRead += keys.size;
    for (const key of keys) reads.set(key, (reads.get(key) ?? 0) + 1);
  }
  const hotKey = (key: string, rank: number): HotKey => ({
    rank,
    position: Number(key.split(':')[0]),
    readShare: (reads.get(key) ?? 0) / options.searches,
    postings: postings.get(key) ?? 0,
  });
  const byReads = [...reads.keys()].sort((a, b) => (reads.get(b) ?? 0) - (reads.get(a) ?? 0));
  const largestKey = [...postings.keys()].reduce((a, b) => ((postings.get(b) ?? 0) > (postings.get(a) ?? 0) ? b : a));
  const totalPostings = [...postings.values()].reduce((sum, n) => sum + n, 0);
  return {
    gallerySize: options.gallerySize,
    searches: options.searches,
    distinctKeysEnrolled: postings.size,
    meanKeysPerSearch: keysRead / options.searches,
    meanPostingsPerKey: totalPostings / postings.size,
    hottest: byReads.slice(0, 5).map((key, i) => hotKey(key, i + 1)),
    largest: { ...hotKey(largestKey, byReads.indexOf(largestKey) + 1) },
  };
}

/**
 * Searches a second that one key's partition allows at a gallery of `gallerySize`: buckets grow in
 * proportion to the gallery (docs/biometrics/README.md), each read of the item costs
 * ceil(bytes / 4 KB) / 2 units (eventually consistent, as BatchGetItem reads by default).
 */
export function searchesPerSecondCap(key: HotKey, measuredGallery: number, gallerySize: number): number {
  const bytes = key.postings * (gallerySize / measuredGallery) * POSTING_BYTES;
  const unitsPerRead = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES)) / 2;
  return PARTITION_READ_UNITS_PER_SECOND / (unitsPerRead * key.readShare);
}
