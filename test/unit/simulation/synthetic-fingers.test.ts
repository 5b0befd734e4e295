import { describe, expect, it } from 'vitest';
import { generateImpression, generateMasterFinger } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import { MinutiaeTemplateSchema, type MinutiaeTemplate } from '#core/schemas';
import { ALL_POSITIONS, mean } from '#test/unit/functions/core/biometrics/helpers';

const SEEDS = Array.from({ length: 20 }, (_, i) => 7_000 + i);

function masters(): MinutiaeTemplate[] {
  return SEEDS.map((seed, i) => generateMasterFinger(createRng(seed), ALL_POSITIONS[i % 10]!));
}

/** Ridge orientation difference (modulo 180 degrees), in [0, 90]. */
function orientationDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 180;
  return d > 90 ? 180 - d : d;
}

describe('generateMasterFinger', () => {
  it('is deterministic for the same rng state and differs across seeds', () => {
    // Prepare
    const seed = 4242;

    // Act
    const first = generateMasterFinger(createRng(seed), 2);
    const again = generateMasterFinger(createRng(seed), 2);
    const other = generateMasterFinger(createRng(seed + 1), 2);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('makes valid 500 ppi templates of about 400 x 500 px with 35-60 minutiae at least ~12 px apart', () => {
    // Prepare
    const templates = masters();

    // Act
    const parsed = templates.map((t) => MinutiaeTemplateSchema.parse(t));

    // Assess
    for (const t of parsed) {
      expect(t.resolutionPpi).toBe(500);
      expect(t.width).toBeGreaterThanOrEqual(380);
      expect(t.width).toBeLessThanOrEqual(420);
      expect(t.height).toBeGreaterThanOrEqual(480);
      expect(t.height).toBeLessThanOrEqual(520);
      expect(t.minutiae.length).toBeGreaterThanOrEqual(35);
      expect(t.minutiae.length).toBeLessThanOrEqual(60);
      for (const [i, a] of t.minutiae.entries()) {
        expect(a.quality).toBeGreaterThanOrEqual(40);
        for (const b of t.minutiae.slice(i + 1)) {
          // 12 px before rounding to whole pixels.
          expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(12 - Math.SQRT2);
        }
      }
    }
  });

  it('mixes endings and bifurcations about 55/45', () => {
    // Prepare
    const all = masters().flatMap((t) => t.minutiae);

    // Act
    const endings = all.filter((m) => m.type === 'ending').length / all.length;

    // Assess
    expect(endings).toBeGreaterThan(0.45);
    expect(endings).toBeLessThan(0.65);
  });

  it('orients neighbouring minutiae alike (a smooth ridge orientation field)', () => {
    // Prepare
    const near: number[] = [];
    const far: number[] = [];

    // Act
    for (const t of masters()) {
      for (const [i, a] of t.minutiae.entries()) {
        for (const b of t.minutiae.slice(i + 1)) {
          const d = Math.hypot(a.x - b.x, a.y - b.y);
          if (d < 40) near.push(orientationDiff(a.angle, b.angle));
          else if (d > 200) far.push(orientationDiff(a.angle, b.angle));
        }
      }
    }

    // Assess: uniform orientations would average 45 degrees.
    expect(mean(near)).toBeLessThan(20);
    expect(mean(far)).toBeGreaterThan(mean(near) * 1.5);
  });
});

describe('generateImpression', () => {
  it('is deterministic for the same rng state', () => {
    // Prepare
    const master = generateMasterFinger(createRng(1), 7);

    // Act
    const first = generateImpression(master, createRng(99), 'good');
    const again = generateImpression(master, createRng(99), 'good');
    const other = generateImpression(master, createRng(100), 'good');

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  describe.each([
    { profile: 'good' as const, minShare: 0.7, maxShare: 1.05 },
    { profile: 'poor' as const, minShare: 0.2, maxShare: 0.75 },
  ])('$profile impressions', ({ profile, minShare, maxShare }) => {
    it('are valid templates of the master image size', () => {
      // Prepare
      const sources = masters();

      // Act
      const results = sources.map((m, i) => generateImpression(m, createRng(500 + i), profile));

      // Assess
      results.forEach((t, i) => {
        expect(() => MinutiaeTemplateSchema.parse(t)).not.toThrow();
        expect(t.width).toBe(sources[i]!.width);
        expect(t.height).toBe(sources[i]!.height);
        expect(t.minutiae.every((m) => Number.isInteger(m.x) && Number.isInteger(m.y))).toBe(true);
        expect(t.minutiae.every((m) => m.angle >= 0 && m.angle < 360)).toBe(true);
      });
    });

    it(`keep ${minShare * 100}-${maxShare * 100}% as many minutiae as the master, on average`, () => {
      // Prepare
      const sources = masters();

      // Act
      const shares = sources.map(
        (m, i) => generateImpression(m, createRng(800 + i), profile).minutiae.length / m.minutiae.length,
      );

      // Assess
      expect(mean(shares)).toBeGreaterThan(minShare);
      expect(mean(shares)).toBeLessThan(maxShare);
    });
  });

  it('loses more of the finger in a poor impression than in a good one', () => {
    // Prepare
    const sources = masters();

    // Act
    const good = sources.map((m, i) => generateImpression(m, createRng(i), 'good').minutiae.length);
    const poor = sources.map((m, i) => generateImpression(m, createRng(i), 'poor').minutiae.length);

    // Assess
    expect(mean(poor)).toBeLessThan(mean(good) * 0.75);
  });

  it('handles a master without minutiae', () => {
    // Prepare
    const empty: MinutiaeTemplate = { width: 400, height: 500, resolutionPpi: 500, minutiae: [] };

    // Act
    const result = generateImpression(empty, createRng(3), 'poor');

    // Assess
    expect(MinutiaeTemplateSchema.parse(result).minutiae).toEqual([]);
  });
});
