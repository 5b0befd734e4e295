import type { EnrolledFinger, IdentityRecord } from '#core/schemas';
import { enrolmentEntries, INDEXED_POSITIONS } from '#core/biometrics/index-keys';
import { directionCode, galleryNumber, type Posting } from '#core/biometrics/index-postings';
import type { GalleryReader } from '#core/ports';

export interface GallerySubject {
  identity: IdentityRecord;
  fingers: EnrolledFinger[];
}

/** What an in-memory gallery was asked, for tests and measurements. */
export interface GalleryReads {
  indexReads: number;
  keysRead: number;
  candidateReads: number;
  identityReads: number;
  /** Subject ids passed to each readCandidates call. */
  candidateIdsPerRead: number[];
}

/**
 * A gallery held in memory, indexed like the real one (enrolmentEntries of the fingers at `positions`).
 * For tests, measurements and local runs; it records what it was asked.
 */
export function createInMemoryGallery(
  subjects: GallerySubject[],
  positions: readonly number[] = INDEXED_POSITIONS,
): GalleryReader & { reads: GalleryReads; buckets: ReadonlyMap<string, readonly Posting[]> } {
  const buckets = new Map<string, Posting[]>();
  const bySubject = new Map<string, GallerySubject>();
  for (const subject of subjects) {
    bySubject.set(subject.identity.subjectId, subject);
    for (const finger of subject.fingers) {
      if (!positions.includes(finger.position)) continue;
      for (const { key, direction } of enrolmentEntries(finger.position, finger.template)) {
        const posting = { subject: galleryNumber(subject.identity.subjectId), direction: directionCode(direction) };
        const bucket = buckets.get(key);
        if (bucket) bucket.push(posting);
        else buckets.set(key, [posting]);
      }
    }
  }
  const reads: GalleryReads = {
    indexReads: 0,
    keysRead: 0,
    candidateReads: 0,
    identityReads: 0,
    candidateIdsPerRead: [],
  };
  return {
    reads,
    buckets,
    readIndex(keys) {
      reads.indexReads++;
      reads.keysRead += keys.length;
      const found = new Map<string, Posting[]>();
      for (const key of keys) {
        const bucket = buckets.get(key);
        if (bucket) found.set(key, [...bucket]);
      }
      return Promise.resolve(found);
    },
    readCandidates(subjectIds) {
      reads.candidateReads++;
      reads.candidateIdsPerRead.push(subjectIds.length);
      const found: Array<{ subjectId: string; fingers: GallerySubject['fingers'] }> = [];
      for (const id of subjectIds) {
        const subject = bySubject.get(id);
        if (subject) found.push({ subjectId: id, fingers: subject.fingers });
      }
      return Promise.resolve(found);
    },
    readIdentity(subjectId) {
      reads.identityReads++;
      return Promise.resolve(bySubject.get(subjectId)?.identity ?? null);
    },
  };
}
