import type { EnrolledFinger, IdentityRecord } from '../schemas';
import { enrolmentKeys, INDEXED_POSITIONS } from './index-keys';
import type { GalleryReader } from './search';

export interface GallerySubject {
  identity: IdentityRecord;
  fingers: EnrolledFinger[];
}

/** What an in-memory gallery was asked, for tests and measurements. */
export interface GalleryReads {
  indexReads: number;
  keysRead: number;
  candidateReads: number;
  /** Subject ids passed to each readCandidates call. */
  candidateIdsPerRead: number[];
}

/**
 * A gallery held in memory, indexed like the real one (enrolmentKeys of the fingers at `positions`).
 * For tests, measurements and local runs; it records what it was asked.
 */
export function createInMemoryGallery(
  subjects: GallerySubject[],
  positions: readonly number[] = INDEXED_POSITIONS,
): GalleryReader & { reads: GalleryReads; buckets: ReadonlyMap<string, readonly string[]> } {
  const buckets = new Map<string, string[]>();
  const bySubject = new Map<string, GallerySubject>();
  for (const subject of subjects) {
    bySubject.set(subject.identity.subjectId, subject);
    for (const finger of subject.fingers) {
      if (!positions.includes(finger.position)) continue;
      for (const key of enrolmentKeys(finger.position, finger.template)) {
        const bucket = buckets.get(key);
        if (bucket) bucket.push(subject.identity.subjectId);
        else buckets.set(key, [subject.identity.subjectId]);
      }
    }
  }
  const reads: GalleryReads = { indexReads: 0, keysRead: 0, candidateReads: 0, candidateIdsPerRead: [] };
  return {
    reads,
    buckets,
    readIndex(keys) {
      reads.indexReads++;
      reads.keysRead += keys.length;
      const found = new Map<string, string[]>();
      for (const key of keys) {
        const bucket = buckets.get(key);
        if (bucket) found.set(key, [...bucket]);
      }
      return Promise.resolve(found);
    },
    readCandidates(subjectIds) {
      reads.candidateReads++;
      reads.candidateIdsPerRead.push(subjectIds.length);
      const found: GallerySubject[] = [];
      for (const id of subjectIds) {
        const subject = bySubject.get(id);
        if (subject) found.push(subject);
      }
      return Promise.resolve(found);
    },
  };
}
