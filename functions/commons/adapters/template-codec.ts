import { MinutiaeTemplateSchema, type MinutiaeTemplate, type MinutiaType } from '../../core/schemas';

/**
 * Storage form of a template in the gallery table: one compact JSON string (about a third of the
 * size of the public JSON shape and a single attribute to unmarshall).
 */
const TYPE_CODES: Record<MinutiaType, number> = { ending: 1, bifurcation: 2, other: 0 };
const TYPES_BY_CODE: MinutiaType[] = ['other', 'ending', 'bifurcation'];

/** Angles are kept to a tenth of a degree; 359.96 rounds to 0, not to 360. */
function tenthOfDegree(angle: number): number {
  return (Math.round(angle * 10) % 3600) / 10;
}

export function encodeTemplate(template: MinutiaeTemplate): string {
  return JSON.stringify({
    w: template.width,
    h: template.height,
    r: template.resolutionPpi,
    m: template.minutiae.map((m) => [m.x, m.y, tenthOfDegree(m.angle), TYPE_CODES[m.type], m.quality]),
  });
}

export function decodeTemplate(stored: string): MinutiaeTemplate {
  const raw = JSON.parse(stored) as { w: number; h: number; r: number; m: number[][] };
  return MinutiaeTemplateSchema.parse({
    width: raw.w,
    height: raw.h,
    resolutionPpi: raw.r,
    minutiae: raw.m.map(([x, y, angle, type, quality]) => ({
      x,
      y,
      angle,
      type: TYPES_BY_CODE[type ?? 0] ?? 'other',
      quality,
    })),
  });
}
