import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '#core/biometrics/fusion';
import { createInMemoryGallery } from '#simulation/in-memory-gallery';
import { INDEXED_POSITIONS } from '#core/biometrics/index-keys';
import { baselineMatcher, type FingerMatcher } from '#core/biometrics/matcher';
import { CASCADE_BARREN_FINGERS, comparisonOrder, rankByRotationVote, searchGallery } from '#core/biometrics/search';
import type { GalleryReader } from '#core/ports';
import { CandidateSchema, IdentityRecordSchema, type FingerPosition } from '#core/schemas';
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
    readIdentity: (id) => gallery.readIdentity(id),
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

  it('verifies the first 20 of the vote, and the rest of the shortlist only when none of them is a match', async () => {
    // Prepare
    const stranger = capturedFingers(impressions(masterHand(5_000_100), 4, 'booking', 'good'), ALL_POSITIONS);
    const mated = booking(15, 'good');
    const unmatedReader = reader();
    const matedReader = reader();

    // Act
    const unmatedResult = await searchGallery(stranger, unmatedReader.spy, { shortlistSize: 60 });
    const matedResult = await searchGallery(mated, matedReader.spy, { shortlistSize: 60 });

    // Assess: the stranger's search reads 20 then 40 others; the mate is found in the first 20.
    expect(unmatedReader.candidateCalls.map((ids) => ids.length)).toEqual([20, 40]);
    expect(new Set(unmatedReader.candidateCalls.flat()).size).toBe(60);
    expect(unmatedResult.stats).toMatchObject({ candidatesVerified: 60, verificationRounds: 2 });
    expect(matedReader.candidateCalls.map((ids) => ids.length)).toEqual([20]);
    expect(matedResult.stats).toMatchObject({ candidatesVerified: 20, verificationRounds: 1 });
    expect(matedResult.outcome).toBe('match');
  });

  it('ignores subjects a reader returns without being asked', async () => {
    // Prepare
    const probe = booking(12, 'good');
    const gallery = createInMemoryGallery(subjects);
    const intruder = { subjectId: 'FIN9999999999', fingers: subjects[11]!.fingers };
    const leaky: GalleryReader = {
      readIndex: (keys) => gallery.readIndex(keys),
      readCandidates: async (ids) => [intruder, ...(await gallery.readCandidates(ids))],
      readIdentity: (id) => gallery.readIdentity(id),
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
      stats: {
        indexKeysQueried: 0,
        candidatesRetrieved: 0,
        candidatesVerified: 0,
        verificationRounds: 0,
        fingersCompared: 0,
      },
    });
    expect(indexCalls).toHaveLength(0);
    expect(candidateCalls).toHaveLength(0);
  });
});

describe('the verification cascade', () => {
  /** The baseline matcher, recording the positions it was asked to compare, in order. */
  function recordingMatcher(score?: (position: number) => number) {
    const compared: number[] = [];
    const matcher: FingerMatcher = {
      algorithm: 'recording',
      version: '0',
      compare(probe, candidate) {
        const position = positionOf.get(probe) ?? 0;
        compared.push(position);
        return score ? score(position) : baselineMatcher.compare(probe, candidate);
      },
    };
    return { matcher, compared };
  }
  const positionOf = new Map<object, number>();
  const tagged = (probe: ReturnType<typeof booking>) => {
    for (const finger of probe) positionOf.set(finger.template, finger.position);
    return probe;
  };

  it('drops a candidate whose first fingers carry no evidence, after CASCADE_BARREN_FINGERS comparisons', async () => {
    // Prepare: every comparison at the noise floor, so no candidate ever carries evidence.
    const probe = tagged(booking(40, 'good'));
    const { matcher, compared } = recordingMatcher(() => 8);

    // Act
    const result = await searchGallery(probe, reader().spy, { matcher, shortlistSize: 30 });

    // Assess
    expect(result.stats.candidatesVerified).toBe(30);
    expect(result.stats.fingersCompared).toBe(30 * CASCADE_BARREN_FINGERS);
    expect(compared).toHaveLength(30 * CASCADE_BARREN_FINGERS);
    expect(result.outcome).toBe('no-match');
    expect(result.candidates).toEqual([]);
  });

  it('compares every finger of a candidate once one of its first fingers carries evidence', async () => {
    // Prepare: the second finger compared scores above the floor, the others at it.
    const probe = tagged(booking(41, 'good'));
    const second = comparisonOrder(probe)[1]!.position;
    const { matcher } = recordingMatcher((position) => (position === second ? 30 : 0));

    // Act
    const result = await searchGallery(probe, reader().spy, { matcher, shortlistSize: 5 });

    // Assess: ten fingers each, and the one with evidence fused.
    expect(result.stats.fingersCompared).toBe(5 * 10);
    expect(result.candidates[0]!.score).toBe(22);
    expect(result.candidates[0]!.fingerScores).toHaveLength(10);
  });

  it('compares the indexed fingers first, best printed first', () => {
    // Prepare: a tenprint whose fingers hold different numbers of minutiae.
    const probe = booking(43, 'good');

    // Act
    const order = comparisonOrder(probe);

    // Assess
    const indexed = order.slice(0, INDEXED_POSITIONS.length);
    expect(indexed.map((f) => f.position).sort((a, b) => a - b)).toEqual([...INDEXED_POSITIONS].sort((a, b) => a - b));
    for (const group of [indexed, order.slice(INDEXED_POSITIONS.length)]) {
      const counts = group.map((f) => f.template.minutiae.length);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    }
  });

  it('still makes the match of a good tenprint with far fewer comparisons than ten per candidate', async () => {
    // Prepare
    const stranger = capturedFingers(impressions(masterHand(5_000_200), 4, 'booking', 'good'), ALL_POSITIONS);
    const mated = booking(77, 'good');

    // Act
    const unmatedResult = await searchGallery(stranger, reader().spy, { shortlistSize: 60 });
    const matedResult = await searchGallery(mated, reader().spy, { shortlistSize: 60 });

    // Assess
    expect(unmatedResult.outcome).toBe('no-match');
    expect(unmatedResult.stats.fingersCompared).toBeLessThan(60 * 4);
    expect(matedResult.outcome).toBe('match');
    expect(matedResult.identity?.subjectId).toBe(subjects[76]!.identity.subjectId);
    expect(matedResult.candidates[0]!.fingerScores).toHaveLength(10);
  });
});

describe('rankByRotationVote', () => {
  const probe = (position: number, entries: Array<[string, number[]]>) => ({
    position,
    entries: entries.map(([key, directions]) => ({ key, directions })),
  });
  /** Direction codes of degrees (256ths of a turn). */
  const at = (degrees: number) => Math.round((degrees / 360) * 256) % 256;

  it('ranks the subject whose hits agree on one rotation above one with as many scattered hits', () => {
    // Prepare: subject 1's three hits all turn the probe by ~40 degrees; subject 2's by 0, 120, 240.
    const index = new Map([
      [
        'a',
        [
          { subject: 1, direction: at(50) },
          { subject: 2, direction: at(10) },
        ],
      ],
      [
        'b',
        [
          { subject: 1, direction: at(140) },
          { subject: 2, direction: at(220) },
        ],
      ],
      [
        'c',
        [
          { subject: 1, direction: at(340) },
          { subject: 2, direction: at(180) },
        ],
      ],
    ]);
    const keys = probe(2, [
      ['a', [10]],
      ['b', [100]],
      ['c', [300]],
    ]);

    // Act
    const ranked = rankByRotationVote([keys], index);

    // Assess: 3 agreeing hits give 3 - 1 = 2; scattered single hits give nothing.
    expect(ranked).toEqual([[1, 2]]);
  });

  it('sums fingers, counts a subject once per key, and breaks ties by gallery number', () => {
    // Prepare: subject 7 is listed twice under 'a' (two overlapping enrolments); 5 and 9 tie.
    const index = new Map([
      [
        'a',
        [
          { subject: 7, direction: at(0) },
          { subject: 7, direction: at(0) },
          { subject: 9, direction: at(0) },
        ],
      ],
      [
        'b',
        [
          { subject: 7, direction: at(0) },
          { subject: 9, direction: at(0) },
        ],
      ],
      [
        'x',
        [
          { subject: 5, direction: at(90) },
          { subject: 7, direction: at(90) },
        ],
      ],
      [
        'y',
        [
          { subject: 5, direction: at(90) },
          { subject: 7, direction: at(90) },
        ],
      ],
    ]);

    // Act
    const ranked = rankByRotationVote(
      [
        probe(1, [
          ['a', [0]],
          ['b', [0]],
          ['absent', [0]],
        ]),
        probe(6, [
          ['x', [0]],
          ['y', [0]],
        ]),
      ],
      index,
    );

    // Assess: 7 has 2 agreeing hits on each finger (1 + 1); 5 and 9 one finger each.
    expect(ranked).toEqual([
      [7, 2],
      [5, 1],
      [9, 1],
    ]);
  });
});
