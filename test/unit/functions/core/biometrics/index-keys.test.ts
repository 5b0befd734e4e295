import { describe, expect, it } from 'vitest';
import {
  enrolmentKeys,
  INDEXED_POSITIONS,
  MAX_ENROLMENT_KEYS,
  MAX_PROBE_KEYS,
  probeKeys,
} from '#core/biometrics/index-keys';
import { generateImpression, generateMasterFinger } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import type { FingerPosition, MinutiaeTemplate } from '#core/schemas';
import { mean, rotateAndShift } from './helpers';

const FINGERS = 30;

function masters(position: FingerPosition): MinutiaeTemplate[] {
  return Array.from({ length: FINGERS }, (_, i) => generateMasterFinger(createRng(61_000 + i), position));
}

/** Share of an enrolled finger's keys that a probe's keys hit. */
function hitShare(enrolled: string[], probe: string[]): number {
  const set = new Set(enrolled);
  return probe.filter((k) => set.has(k)).length / set.size;
}

describe('INDEXED_POSITIONS', () => {
  it('are the thumbs and index fingers', () => {
    // Assess
    expect(INDEXED_POSITIONS).toEqual([1, 2, 6, 7]);
  });
});

describe.each([{ position: 1 as FingerPosition }, { position: 7 as FingerPosition }])(
  'keys of position $position',
  ({ position }) => {
    it('are prefixed with the position, unique and within budget', () => {
      // Prepare
      const template = masters(position)[0]!;

      // Act
      const enrol = enrolmentKeys(position, template);
      const probe = probeKeys(position, template);

      // Assess
      for (const keys of [enrol, probe]) {
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.every((k) => k.startsWith(`${position}:`))).toBe(true);
        expect(keys.every((k) => /^\d+(:\d+){5}$/.test(k))).toBe(true);
      }
      expect(enrol.length).toBeGreaterThan(20);
      expect(enrol.length).toBeLessThanOrEqual(MAX_ENROLMENT_KEYS);
      expect(probe.length).toBeLessThanOrEqual(MAX_PROBE_KEYS);
      // A probe looks up at least the cells the same capture was enrolled under.
      expect(enrol.every((k) => probe.includes(k))).toBe(true);
    });
  },
);

describe('enrolmentKeys', () => {
  it('are deterministic', () => {
    // Prepare
    const template = masters(2)[3]!;

    // Act
    const first = enrolmentKeys(2, template);
    const again = enrolmentKeys(2, structuredClone(template));

    // Assess
    expect(again).toEqual(first);
  });

  it('do not change much when the finger is rotated and moved', () => {
    // Prepare
    const templates = masters(2);

    // Act
    const shares = templates.map((t) => hitShare(enrolmentKeys(2, t), probeKeys(2, rotateAndShift(t, 37, 50, -20))));

    // Assess: only whole-pixel rounding differs.
    expect(mean(shares)).toBeGreaterThan(0.85);
  });

  it('stay within budget for a template with the most minutiae allowed', () => {
    // Prepare
    const rng = createRng(5);
    const minutiae = Array.from({ length: 200 }, () => ({
      x: rng.int(0, 999),
      y: rng.int(0, 999),
      angle: rng.float(0, 360),
      type: 'ending' as const,
      quality: rng.int(0, 100),
    }));
    const big: MinutiaeTemplate = { width: 1000, height: 1000, resolutionPpi: 500, minutiae };

    // Act
    const enrol = enrolmentKeys(1, big);
    const probe = probeKeys(1, big);

    // Assess
    expect(enrol.length).toBeLessThanOrEqual(MAX_ENROLMENT_KEYS);
    expect(probe.length).toBeLessThanOrEqual(MAX_PROBE_KEYS);
  });

  describe.each([{ count: 0 }, { count: 1 }])('with $count minutiae', ({ count }) => {
    it('has no pair, so no key', () => {
      // Prepare
      const template = masters(6)[0]!;
      const tiny = { ...template, minutiae: template.minutiae.slice(0, count) };

      // Act
      const keys = [...enrolmentKeys(6, tiny), ...probeKeys(6, tiny)];

      // Assess
      expect(keys).toEqual([]);
    });
  });

  it('give one key for two minutiae close together, none when they are farther apart than a pair reaches', () => {
    // Prepare
    const near: MinutiaeTemplate = {
      width: 400,
      height: 500,
      resolutionPpi: 500,
      minutiae: [
        { x: 100, y: 100, angle: 10, type: 'ending', quality: 80 },
        { x: 140, y: 130, angle: 200, type: 'bifurcation', quality: 80 },
      ],
    };
    const far = { ...near, minutiae: [near.minutiae[0]!, { ...near.minutiae[1]!, x: 300, y: 300 }] };

    // Act
    const keys = enrolmentKeys(6, near);

    // Assess
    expect(keys).toHaveLength(1);
    expect(probeKeys(6, near)).toContain(keys[0]);
    expect(enrolmentKeys(6, far)).toEqual([]);
  });

  it('do not depend on the order of the minutiae in the template', () => {
    // Prepare: few enough minutiae that the key budget does not cut the list.
    const template = masters(2)[5]!;
    const small = { ...template, minutiae: template.minutiae.slice(0, 14) };
    const reversed = { ...small, minutiae: [...small.minutiae].reverse() };

    // Act
    const forward = enrolmentKeys(2, small);
    const backward = enrolmentKeys(2, reversed);

    // Assess
    expect(forward.length).toBeGreaterThan(5);
    expect(forward.length).toBeLessThan(MAX_ENROLMENT_KEYS);
    expect([...backward].sort()).toEqual([...forward].sort());
  });

  it('tell the two minutiae of a pair apart by type', () => {
    // Prepare
    const template = masters(2)[7]!;
    const flipped = {
      ...template,
      minutiae: template.minutiae.map((m) => ({
        ...m,
        type: m.type === 'ending' ? ('bifurcation' as const) : ('ending' as const),
      })),
    };

    // Act
    const original = new Set(enrolmentKeys(2, template));
    const other = enrolmentKeys(2, flipped);

    // Assess: only pairs of one ending and one bifurcation can keep their key.
    expect(other.filter((k) => original.has(k)).length).toBeLessThan(other.length / 2);
  });
});

describe('probeKeys', () => {
  it("of a good impression hit a solid share of its master's keys, and far more than another finger's", () => {
    // Prepare
    const sources = masters(6);

    // Act
    const mated = sources.map((m, i) =>
      hitShare(enrolmentKeys(6, m), probeKeys(6, generateImpression(m, createRng(900 + i), 'good'))),
    );
    const other = sources.map((m, i) =>
      hitShare(
        enrolmentKeys(6, m),
        probeKeys(6, generateImpression(sources[(i + 1) % FINGERS]!, createRng(700 + i), 'good')),
      ),
    );

    // Assess: a single pair key is weak evidence (buckets are large); the vote over many keys and
    // fingers ranks the mate (search.test.ts).
    expect(mean(mated)).toBeGreaterThan(0.25);
    expect(mean(mated)).toBeGreaterThan(2.5 * mean(other));
  });

  it('never match keys of another position', () => {
    // Prepare
    const template = masters(1)[0]!;

    // Act
    const thumb = new Set(enrolmentKeys(1, template));
    const index = probeKeys(2, template);

    // Assess
    expect(index.some((k) => thumb.has(k))).toBe(false);
  });
});
