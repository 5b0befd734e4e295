import { describe, expect, it } from 'vitest';
import { decodeFingers, encodeFingers, StoredTemplateError } from '#adapters/template-codec';
import type { EnrolledFinger } from '#core/schemas';

const fingers: EnrolledFinger[] = [
  {
    position: 1,
    template: {
      width: 416,
      height: 512,
      resolutionPpi: 500,
      minutiae: [
        { x: 10, y: 20, angle: 359.9, type: 'ending', quality: 80 },
        { x: 300, y: 400, angle: 0, type: 'bifurcation', quality: 41 },
        { x: 200, y: 7, angle: 123.4, type: 'other', quality: 100 },
      ],
    },
  },
  { position: 10, template: { width: 100, height: 90, resolutionPpi: 1000, minutiae: [] } },
];

describe('stored fingers codec', () => {
  it('round-trips a subject’s fingers in 7 bytes a minutia, far smaller than the public JSON', () => {
    // Act
    const stored = encodeFingers(fingers);
    const decoded = decodeFingers(stored);

    // Assess
    expect(decoded).toEqual(fingers);
    expect(stored.length).toBe(2 + 9 + 3 * 7 + 9);
    expect(stored.length).toBeLessThan(JSON.stringify(fingers).length / 4);
  });

  it('keeps an angle just under 360 degrees inside [0, 360)', () => {
    // Prepare
    const finger: EnrolledFinger = {
      position: 2,
      template: {
        width: 100,
        height: 100,
        resolutionPpi: 500,
        minutiae: [{ x: 1, y: 2, angle: 359.97, type: 'ending', quality: 50 }],
      },
    };

    // Act
    const [decoded] = decodeFingers(encodeFingers([finger]));

    // Assess
    expect(decoded?.template.minutiae[0]?.angle).toBe(0);
  });

  it.each([
    ['an unknown version', (b: Uint8Array) => (b[0] = 9), /version/],
    ['a minutia outside the image', (b: Uint8Array) => (b[2 + 9] = 0xff), /outside the image/],
    ['a position out of range', (b: Uint8Array) => (b[2] = 11), /position/],
    ['a bad quality', (b: Uint8Array) => (b[2 + 9 + 6] = 101), /out of range/],
  ])('refuses stored fingers with %s', (_name, corrupt, message) => {
    // Prepare
    const stored = encodeFingers(fingers);
    corrupt(stored);

    // Act / Assess
    expect(() => decodeFingers(stored)).toThrow(StoredTemplateError);
    expect(() => decodeFingers(stored)).toThrow(message);
  });

  it('refuses truncated or padded stored fingers', () => {
    const stored = encodeFingers(fingers);
    expect(() => decodeFingers(stored.slice(0, stored.length - 3))).toThrow(/truncated/);
    expect(() => decodeFingers(Uint8Array.of(...stored, 0))).toThrow(/trailing/);
  });
});
