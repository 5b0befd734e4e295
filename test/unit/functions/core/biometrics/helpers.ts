import type { GallerySubject } from '#simulation/in-memory-gallery';
import { generateImpression, generateMasterFinger, type ImpressionProfile } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import type { CapturedFinger, FingerPosition, IdentityRecord, Minutia, MinutiaeTemplate } from '#core/schemas';

export const ALL_POSITIONS: FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export function subjectId(n: number): string {
  return `FIN${String(n).padStart(10, '0')}`;
}

export function identityRecord(n: number): IdentityRecord {
  return {
    subjectId: subjectId(n),
    immigration: { status: 'overstay', encounters: [], removalOrders: [] },
    criminalHistory: { convictions: [] },
  };
}

/** Ten master fingers of one synthetic person, from a seed. */
export function masterHand(seed: number): MinutiaeTemplate[] {
  const rng = createRng(seed);
  return ALL_POSITIONS.map((position) => generateMasterFinger(rng.fork(`master-${position}`), position));
}

/** One impression of each finger; `label` separates captures (enrolment, a booking, another booking). */
export function impressions(masters: MinutiaeTemplate[], seed: number, label: string, profile: ImpressionProfile) {
  const rng = createRng(seed);
  return masters.map((master, i) => generateImpression(master, rng.fork(`${label}-${i + 1}`), profile));
}

/** A gallery subject enrolled with good impressions of all ten fingers. */
export function gallerySubject(n: number, seed: number): GallerySubject & { masters: MinutiaeTemplate[] } {
  const masters = masterHand(seed);
  const enrolled = impressions(masters, seed, 'enrol', 'good');
  return {
    masters,
    identity: identityRecord(n),
    fingers: ALL_POSITIONS.map((position, i) => ({ position, template: enrolled[i]! })),
  };
}

export function capturedFingers(templates: MinutiaeTemplate[], positions: FingerPosition[]): CapturedFinger[] {
  return positions.map((position) => ({
    position,
    status: 'captured',
    impressionType: 'rolled',
    template: templates[position - 1]!,
  }));
}

/**
 * The same template moved by hand: rotated by `degrees` (counter-clockwise as seen) around its centre,
 * shifted by (dx, dy) px, on a canvas large enough that nothing falls off.
 */
export function rotateAndShift(template: MinutiaeTemplate, degrees: number, dx: number, dy: number): MinutiaeTemplate {
  const canvas = 1000;
  const r = (degrees * Math.PI) / 180;
  const cx = template.width / 2;
  const cy = template.height / 2;
  const minutiae: Minutia[] = template.minutiae.map((m) => {
    // Math orientation (y up) for the rotation, back to pixel rows afterwards.
    const u = m.x - cx;
    const v = -(m.y - cy);
    const ru = Math.cos(r) * u - Math.sin(r) * v;
    const rv = Math.sin(r) * u + Math.cos(r) * v;
    return {
      ...m,
      x: Math.round(canvas / 2 + ru + dx),
      y: Math.round(canvas / 2 - rv + dy),
      angle: (((m.angle + degrees) % 360) + 360) % 360,
    };
  });
  return { ...template, width: canvas, height: canvas, minutiae };
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
