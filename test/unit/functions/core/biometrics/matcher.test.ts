import { describe, expect, it } from 'vitest';
import { baselineMatcher, prepare } from '#core/biometrics/matcher';
import { generateImpression, generateMasterFinger } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import type { FingerPosition, MinutiaeTemplate } from '#core/schemas';
import { ALL_POSITIONS, mean, rotateAndShift } from './helpers';
import fixture from './matcher-scores.fixture.json';

const PAIRS = 30;

/** For each of 30 seeded fingers: the enrolled impression and a later one of the same finger. */
function fingers(profile: 'good' | 'poor') {
  return Array.from({ length: PAIRS }, (_, i) => {
    const rng = createRng(31_000 + i);
    const master = generateMasterFinger(rng.fork('master'), ALL_POSITIONS[i % 10]!);
    return {
      enrolled: generateImpression(master, rng.fork('enrol'), 'good'),
      probe: generateImpression(master, rng.fork('probe'), profile),
    };
  });
}

describe('baselineMatcher', () => {
  it('names itself', () => {
    // Assess
    expect(baselineMatcher.algorithm).toMatch(/\S/);
    expect(baselineMatcher.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('scores two impressions of the same finger far above two different fingers', () => {
    // Prepare
    const set = fingers('good');

    // Act
    const genuine = set.map((f) => baselineMatcher.compare(f.probe, f.enrolled));
    const impostor = set.flatMap((f, i) =>
      [1, 2, 3, 4, 5].map((k) => baselineMatcher.compare(f.probe, set[(i + k) % PAIRS]!.enrolled)),
    );

    // Assess
    const maxImpostor = Math.max(...impostor);
    expect(mean(genuine)).toBeGreaterThan(5 * mean(impostor));
    expect(genuine.filter((s) => s > maxImpostor).length / genuine.length).toBeGreaterThanOrEqual(0.9);
    expect(impostor.every((s) => s >= 0)).toBe(true);
  });

  it('still separates poor impressions from different fingers on average', () => {
    // Prepare
    const set = fingers('poor');

    // Act
    const genuine = set.map((f) => baselineMatcher.compare(f.probe, f.enrolled));
    const impostor = set.map((f, i) => baselineMatcher.compare(f.probe, set[(i + 1) % PAIRS]!.enrolled));

    // Assess
    expect(mean(genuine)).toBeGreaterThan(3 * mean(impostor));
  });

  describe.each([
    { degrees: 0, dx: 0, dy: 0 },
    { degrees: 17, dx: 40, dy: -25 },
    { degrees: 90, dx: -60, dy: 10 },
    { degrees: 180, dx: 0, dy: 75 },
    { degrees: 251, dx: 120, dy: -90 },
  ])('rotated by $degrees degrees and moved by ($dx, $dy) px', ({ degrees, dx, dy }) => {
    it('matches the original template almost perfectly', () => {
      // Prepare
      const original = generateMasterFinger(createRng(55), 1);
      const moved = rotateAndShift(original, degrees, dx, dy);

      // Act
      const score = baselineMatcher.compare(moved, original);
      const self = baselineMatcher.compare(original, original);

      // Assess
      expect(self).toBeCloseTo(100, 5);
      expect(score).toBeGreaterThan(85);
    });
  });

  describe.each([
    { name: 'empty probe', probe: [] as MinutiaeTemplate['minutiae'], candidate: 'full' },
    { name: 'empty candidate', probe: 'full', candidate: [] as MinutiaeTemplate['minutiae'] },
  ])('with an $name', ({ probe, candidate }) => {
    it('scores 0', () => {
      // Prepare
      const full = generateMasterFinger(createRng(8), 3);
      const empty = { ...full, minutiae: [] };

      // Act
      const score = baselineMatcher.compare(probe === 'full' ? full : empty, candidate === 'full' ? full : empty);

      // Assess
      expect(score).toBe(0);
    });
  });

  it('scores a template with a single minutia without failing', () => {
    // Prepare
    const full = generateMasterFinger(createRng(9), 3);
    const single = { ...full, minutiae: full.minutiae.slice(0, 1) };

    // Act
    const score = baselineMatcher.compare(single, full);

    // Assess
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(0);
  });

  it('prepares each template once and is deterministic', () => {
    // Prepare
    const [pair] = fingers('good');
    const { probe, enrolled } = pair!;

    // Act
    const first = baselineMatcher.compare(probe, enrolled);
    const second = baselineMatcher.compare(probe, enrolled);

    // Assess
    expect(prepare(probe)).toBe(prepare(probe));
    expect(second).toBe(first);
  });
});

describe('baselineMatcher limits', () => {
  it('refuses a template beyond the schema limit of minutiae', () => {
    // Prepare
    const full = generateMasterFinger(createRng(10), 4);
    const huge = { ...full, minutiae: Array.from({ length: 201 }, (_, i) => full.minutiae[i % full.minutiae.length]!) };

    // Act
    const act = () => baselineMatcher.compare(huge, full);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

/**
 * The 220 seeded pairs of matcher-scores.fixture.json: for each of 50 fingers, a good and a poor
 * impression against the enrolment, one against the same position of another person, one rotated
 * and moved; some with minutiae present twice (exact ties between neighbour distances and between
 * local-structure similarities).
 */
function fixturePairs(): Array<{ probe: MinutiaeTemplate; candidate: MinutiaeTemplate }> {
  const count = 50;
  const fingers = Array.from({ length: count }, (_, i) => {
    const rng = createRng(64_000 + i);
    const master = generateMasterFinger(rng.fork('master'), ((i % 10) + 1) as FingerPosition);
    return {
      enrolled: generateImpression(master, rng.fork('enrol'), 'good'),
      good: generateImpression(master, rng.fork('good'), 'good'),
      poor: generateImpression(master, rng.fork('poor'), 'poor'),
    };
  });
  const pairs: Array<{ probe: MinutiaeTemplate; candidate: MinutiaeTemplate }> = [];
  fingers.forEach((f, i) => {
    // Impostor: the finger at the same position of the next person.
    const other = fingers[(i + 10) % count]!;
    pairs.push({ probe: f.good, candidate: f.enrolled });
    pairs.push({ probe: f.poor, candidate: f.enrolled });
    pairs.push({ probe: i % 2 ? f.poor : f.good, candidate: other.enrolled });
    pairs.push({
      probe: rotateAndShift(i % 2 ? f.poor : f.good, (i * 73) % 360, (i % 7) * 20 - 60, (i % 5) * 25 - 50),
      candidate: f.enrolled,
    });
    if (i < 10) {
      pairs.push({
        probe: { ...f.good, minutiae: [...f.good.minutiae, ...f.good.minutiae.slice(0, 10)] },
        candidate: f.enrolled,
      });
    }
    if (i >= 40) {
      pairs.push({
        probe: f.good,
        candidate: { ...f.enrolled, minutiae: [...f.enrolled.minutiae.slice(5, 15), ...f.enrolled.minutiae] },
      });
    }
  });
  return pairs;
}

describe('baselineMatcher scores', () => {
  it('are those of the implementation before the speed-up, on 220 seeded pairs', () => {
    // Prepare
    const pairs = fixturePairs();

    // Act
    const scores = pairs.map(({ probe, candidate }) => baselineMatcher.compare(probe, candidate));

    // Assess
    expect(pairs.map((p) => [p.probe.minutiae.length, p.candidate.minutiae.length])).toEqual(
      fixture.pairs.map((p) => [p.probeMinutiae, p.candidateMinutiae]),
    );
    const off = scores.flatMap((score, k) => {
      const expected = fixture.pairs[k]!.score;
      return Math.abs(score - expected) < 1e-6 ? [] : [{ pair: k, score, expected }];
    });
    expect(off).toEqual([]);
    expect(new Set(fixture.pairs.map((p) => p.score)).size).toBeGreaterThan(150);
  });
});
