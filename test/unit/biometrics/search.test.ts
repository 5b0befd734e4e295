import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../functions/core/biometrics/fusion';
import { createInMemoryGallery, type GallerySubject } from '../../../functions/core/biometrics/in-memory-gallery';
import { INDEXED_POSITIONS } from '../../../functions/core/biometrics/index-keys';
import { rankByVote, searchGallery, type GalleryReader } from '../../../functions/core/biometrics/search';
import { CandidateSchema, IdentityRecordSchema, type FingerPosition } from '../../../functions/core/schemas';
import { ALL_POSITIONS, capturedFingers, gallerySubject, impressions, masterHand } from './helpers';

const GALLERY_SIZE = 200;
const SEED = 90_000;

let subjects: Array<ReturnType<typeof gallerySubject>>;

beforeAll(() => {
  subjects = Array.from({ length: GALLERY_SIZE }, (_, i) => gallerySubject(i + 1, SEED + i));
});

/** A reader over the gallery that records what it was asked. */
function reader(positions: readonly number[] = INDEXED_POSITIONS) {
  const gallery = createInMemoryGallery(subjects, positions);
  const indexCalls: string[][] = [];
  const candidateCalls: string[][] = [];
  const spy: GalleryReader = {
    readIndex: (keys) => {
      indexCalls.push(keys);
      return gallery.readIndex(keys);
    },
    readCandidates: (ids) => {
      candidateCalls.push(ids);
      return gallery.readCandidates(ids);
    },
  };
  return { spy, indexCalls, candidateCalls };
}

/** A new booking of gallery subject n (1-based): fresh impressions of the same fingers. */
function booking(n: number, profile: 'good' | 'poor', positions: FingerPosition[] = ALL_POSITIONS) {
  const subject = subjects[n - 1]!;
  return capturedFingers(impressions(subject.masters, SEED + n, 'booking', profile), positions);
}

describe('searchGallery', () => {
  describe.each([{ n: 1 }, { n: 42 }, { n: 117 }, { n: 200 }])('a good tenprint of gallery subject $n', ({ n }) => {
    it('is a match with that subject, read through one index read and one candidate read', async () => {
      // Prepare
      const probe = booking(n, 'good');
      const { spy, indexCalls, candidateCalls } = reader();
      const expected = subjects[n - 1]!.identity;

      // Act
      const result = await searchGallery(probe, spy);

      // Assess
      expect(result.outcome).toBe('match');
      expect(result.identity).toEqual(expected);
      expect(IdentityRecordSchema.parse(result.identity)).toEqual(expected);
      expect(result.candidates[0]!.subjectId).toBe(expected.subjectId);
      expect(result.candidates[0]!.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.match);
      expect(result.candidates[0]!.fingerScores.map((f) => f.position)).toEqual(ALL_POSITIONS);
      expect(indexCalls).toHaveLength(1);
      expect(candidateCalls).toHaveLength(1);
      expect(result.stats.indexKeysQueried).toBe(indexCalls[0]!.length);
      expect(result.stats.candidatesVerified).toBeLessThanOrEqual(20);
    });
  });

  it('returns candidates best first, at most five, each a valid Candidate', async () => {
    // Prepare
    const probe = booking(7, 'good');

    // Act
    const result = await searchGallery(probe, reader().spy);

    // Assess
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.length).toBeLessThanOrEqual(5);
    result.candidates.forEach((c) => expect(() => CandidateSchema.parse(c)).not.toThrow());
    const scores = result.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  describe.each([{ seed: 1 }, { seed: 2 }, { seed: 3 }])(
    'a tenprint of someone not enrolled (seed $seed)',
    ({ seed }) => {
      it('is no-match', async () => {
        // Prepare
        const stranger = masterHand(5_000_000 + seed);
        const probe = capturedFingers(impressions(stranger, seed, 'booking', 'good'), ALL_POSITIONS);

        // Act
        const result = await searchGallery(probe, reader().spy);

        // Assess
        expect(result.outcome).toBe('no-match');
        expect(result.identity).toBeNull();
        expect(result.candidates.every((c) => c.score < DEFAULT_THRESHOLDS.inconclusive)).toBe(true);
      });
    },
  );

  describe.each([{ shortlistSize: 20 }, { shortlistSize: 5 }, { shortlistSize: 1 }])(
    'with a shortlist of $shortlistSize',
    ({ shortlistSize }) => {
      it('never asks the reader for more candidates than the shortlist', async () => {
        // Prepare
        const probe = booking(9, 'good');
        const { spy, candidateCalls } = reader();

        // Act
        const result = await searchGallery(probe, spy, { shortlistSize });

        // Assess
        expect(candidateCalls).toHaveLength(1);
        expect(candidateCalls[0]!.length).toBeLessThanOrEqual(shortlistSize);
        expect(result.stats.candidatesVerified).toBeLessThanOrEqual(shortlistSize);
        expect(result.stats.candidatesRetrieved).toBeGreaterThan(shortlistSize);
        expect(result.outcome).toBe('match');
      });
    },
  );

  it('ignores subjects a reader returns without being asked', async () => {
    // Prepare
    const probe = booking(12, 'good');
    const gallery = createInMemoryGallery(subjects);
    const intruder: GallerySubject = {
      ...subjects[11]!,
      identity: { ...subjects[11]!.identity, subjectId: 'FIN9999999999' },
    };
    const leaky: GalleryReader = {
      readIndex: (keys) => gallery.readIndex(keys),
      readCandidates: async (ids) => [intruder, ...(await gallery.readCandidates(ids))],
    };

    // Act
    const result = await searchGallery(probe, leaky);

    // Assess
    expect(result.candidates.map((c) => c.subjectId)).not.toContain('FIN9999999999');
    expect(result.identity?.subjectId).toBe(subjects[11]!.identity.subjectId);
  });

  it('never makes a match from two fingers alone, however good', async () => {
    // Prepare
    const probe = booking(30, 'good', [1, 2]);

    // Act
    const result = await searchGallery(probe, reader().spy);

    // Assess
    expect(result.outcome).toBe('inconclusive');
    expect(result.identity).toBeNull();
    expect(result.candidates[0]!.subjectId).toBe(subjects[29]!.identity.subjectId);
  });

  it('leaves a mated probe with two poor fingers short of a match', async () => {
    // Prepare
    const probe = booking(31, 'poor', [2, 7]);

    // Act
    const result = await searchGallery(probe, reader().spy);

    // Assess
    expect(['inconclusive', 'no-match']).toContain(result.outcome);
    expect(result.identity).toBeNull();
  });

  it('shortlists and ranks first the mate of most probes with two or three poor fingers', async () => {
    // Prepare: 36 subjects, each captured with poor impressions of two or three indexed fingers; a
    // shortlist of 10 out of 200 (the nearest-neighbour triangle index this index replaced found 16).
    const usable: FingerPosition[][] = [
      [1, 2],
      [2, 7],
      [6, 7],
      [1, 6, 7],
      [1, 2, 6],
      [2, 6, 7],
    ];
    const probes = Array.from({ length: 36 }, (_, i) => ({
      n: 21 + 5 * i,
      probe: booking(21 + 5 * i, 'poor', usable[i % usable.length]!),
    }));
    const { spy } = reader();

    // Act
    const results = await Promise.all(probes.map(({ probe }) => searchGallery(probe, spy, { shortlistSize: 10 })));

    // Assess: the mate verified and best, short of a match; poor fingers never make a match.
    const found = results.filter(
      (r, i) =>
        r.outcome === 'inconclusive' && r.candidates[0]?.subjectId === subjects[probes[i]!.n - 1]!.identity.subjectId,
    );
    expect(found.length).toBeGreaterThanOrEqual(24);
    for (const r of results) expect(r.outcome).not.toBe('match');
  });

  describe('a probe with none of the indexed fingers', () => {
    const positions: FingerPosition[] = [3, 4, 5, 8, 9, 10];

    it('finds nobody in a gallery that indexes only INDEXED_POSITIONS', async () => {
      // Prepare
      const probe = booking(50, 'good', positions);
      const { spy, candidateCalls } = reader();

      // Act
      const result = await searchGallery(probe, spy);

      // Assess
      expect(result.outcome).toBe('no-match');
      expect(result.stats.indexKeysQueried).toBeGreaterThan(0);
      expect(result.stats.candidatesRetrieved).toBe(0);
      expect(candidateCalls).toHaveLength(0);
    });

    it('is found in a gallery that indexes every position', async () => {
      // Prepare
      const probe = booking(50, 'good', positions);
      const { spy } = reader(ALL_POSITIONS);

      // Act
      const result = await searchGallery(probe, spy);

      // Assess
      expect(result.outcome).toBe('match');
      expect(result.identity?.subjectId).toBe(subjects[49]!.identity.subjectId);
    });
  });

  it('reads nothing for a probe without minutiae', async () => {
    // Prepare
    const probe = booking(3, 'good', [1]).map((f) => ({ ...f, template: { ...f.template, minutiae: [] } }));
    const { spy, indexCalls, candidateCalls } = reader();

    // Act
    const result = await searchGallery(probe, spy);

    // Assess
    expect(result).toEqual({
      outcome: 'no-match',
      candidates: [],
      identity: null,
      stats: { indexKeysQueried: 0, candidatesRetrieved: 0, candidatesVerified: 0 },
    });
    expect(indexCalls).toHaveLength(0);
    expect(candidateCalls).toHaveLength(0);
  });
});

describe('rankByVote', () => {
  it('weighs a hit less the larger its bucket, counts a subject once per key, and breaks ties by id', () => {
    // Prepare
    const index = new Map([
      ['big', ['S3', 'S1', 'S1', 'S2']],
      ['small', ['S2']],
      ['empty', []],
    ]);

    // Act
    const ranked = rankByVote(['big', 'small', 'empty', 'absent'], index);

    // Assess
    const big = 3 ** -0.25;
    expect(ranked.map(([id]) => id)).toEqual(['S2', 'S1', 'S3']);
    expect(ranked[0]![1]).toBeCloseTo(1 + big, 10);
    expect(ranked[1]![1]).toBeCloseTo(big, 10);
    expect(ranked[2]![1]).toBeCloseTo(big, 10);
  });
});
