import { describe, expect, it } from 'vitest';
import {
  classifyScore,
  DEFAULT_THRESHOLDS,
  FINGER_EVIDENCE_CAP,
  FINGER_NOISE_FLOOR,
  fingerEvidence,
  fuseFingerScores,
} from '#core/biometrics/fusion';

describe('fuseFingerScores', () => {
  describe.each([
    { name: 'no fingers', scores: [], expected: 0 },
    { name: 'impostor-like noise on ten fingers', scores: [1, 2, 3, 4, 5, 6, 7, 8, 2, 3], expected: 0 },
    { name: 'one finger just above the floor', scores: [FINGER_NOISE_FLOOR + 2.5], expected: 2.5 },
    { name: 'one fluke finger', scores: [95], expected: FINGER_EVIDENCE_CAP },
    { name: 'three strong fingers', scores: [70, 65, 80], expected: 3 * FINGER_EVIDENCE_CAP },
  ])('$name', ({ scores, expected }) => {
    it(`fuses to ${expected}`, () => {
      // Prepare
      const fingers = scores.map((score, i) => ({ position: i + 1, score }));

      // Act
      const fused = fuseFingerScores(fingers);

      // Assess
      expect(fused).toBeCloseTo(expected, 6);
    });
  });

  it('counts a position given twice once, with its best score', () => {
    // Prepare
    const scores = [
      { position: 2, score: 30 },
      { position: 2, score: 20 },
    ];

    // Act
    const fused = fuseFingerScores(scores);

    // Assess
    expect(fused).toBe(fingerEvidence(30));
  });
});

describe('classifyScore', () => {
  describe.each([
    { score: 0, expected: 'no-match' },
    { score: DEFAULT_THRESHOLDS.inconclusive - 0.01, expected: 'no-match' },
    { score: DEFAULT_THRESHOLDS.inconclusive, expected: 'inconclusive' },
    { score: DEFAULT_THRESHOLDS.match - 0.01, expected: 'inconclusive' },
    { score: DEFAULT_THRESHOLDS.match, expected: 'match' },
    { score: 400, expected: 'match' },
  ])('with the default thresholds, score $score', ({ score, expected }) => {
    it(`is ${expected}`, () => {
      // Act
      const outcome = classifyScore(score);

      // Assess
      expect(outcome).toBe(expected);
    });
  });

  describe.each([
    { score: 4, expected: 'no-match' },
    { score: 5, expected: 'inconclusive' },
    { score: 50, expected: 'match' },
  ])('with thresholds 50 / 5, score $score', ({ score, expected }) => {
    it(`is ${expected}`, () => {
      // Act
      const outcome = classifyScore(score, { match: 50, inconclusive: 5 });

      // Assess
      expect(outcome).toBe(expected);
    });
  });
});

describe('DEFAULT_THRESHOLDS', () => {
  it('need more than two fingers for a match, and some evidence for inconclusive', () => {
    // Assess
    expect(DEFAULT_THRESHOLDS.inconclusive).toBeGreaterThan(0);
    expect(DEFAULT_THRESHOLDS.match).toBeGreaterThan(DEFAULT_THRESHOLDS.inconclusive);
    expect(DEFAULT_THRESHOLDS.match).toBeGreaterThan(2 * FINGER_EVIDENCE_CAP);
  });

  it('leave a mated subject with two perfect fingers inconclusive, and a third makes a match', () => {
    // Prepare
    const two = [
      { position: 1, score: 100 },
      { position: 6, score: 100 },
    ];
    const three = [...two, { position: 2, score: 100 }];

    // Act
    const outcomes = [classifyScore(fuseFingerScores(two)), classifyScore(fuseFingerScores(three))];

    // Assess
    expect(outcomes).toEqual(['inconclusive', 'match']);
  });
});
