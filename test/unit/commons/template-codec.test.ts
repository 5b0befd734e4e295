import { describe, expect, it } from 'vitest';
import { decodeTemplate, encodeTemplate } from '../../../functions/commons/adapters/template-codec';
import type { MinutiaeTemplate } from '../../../functions/core/schemas';

describe('template storage codec', () => {
  it('round-trips a template and is smaller than its public JSON', () => {
    // Prepare
    const template: MinutiaeTemplate = {
      width: 416,
      height: 512,
      resolutionPpi: 500,
      minutiae: [
        { x: 10, y: 20, angle: 359.9, type: 'ending', quality: 80 },
        { x: 300, y: 400, angle: 0, type: 'bifurcation', quality: 41 },
        { x: 200, y: 7, angle: 123.4, type: 'other', quality: 100 },
      ],
    };

    // Act
    const stored = encodeTemplate(template);
    const decoded = decodeTemplate(stored);

    // Assess
    expect(decoded).toEqual(template);
    expect(stored.length).toBeLessThan(JSON.stringify(template).length / 2);
  });

  it('keeps an angle just under 360 degrees inside [0, 360)', () => {
    // Prepare
    const template: MinutiaeTemplate = {
      width: 100,
      height: 100,
      resolutionPpi: 500,
      minutiae: [{ x: 1, y: 2, angle: 359.97, type: 'ending', quality: 50 }],
    };

    // Act
    const decoded = decodeTemplate(encodeTemplate(template));

    // Assess
    expect(decoded.minutiae[0]?.angle).toBe(0);
  });

  it('refuses a stored template whose minutiae fall outside the image', () => {
    // Prepare
    const stored = JSON.stringify({ w: 100, h: 100, r: 500, m: [[150, 10, 0, 1, 50]] });

    // Act / Assess
    expect(() => decodeTemplate(stored)).toThrow(/width/);
  });
});
