import type { EnrolledFinger, FingerPosition, MinutiaType, MinutiaeTemplate } from '#core/schemas';
import { TEMPLATE_LIMITS } from '#core/schemas/template';

/**
 * Storage form of a subject's enrolled fingers in the gallery table: one binary attribute holding
 * every finger, so that verifying a candidate is one small item read (about 3.6 KB for ten fingers
 * of 50 minutiae; the public JSON shape is over 30 KB).
 *
 *   1 byte  codec version (1)
 *   1 byte  number of fingers
 *   per finger: 1 byte position, 2 bytes width, 2 bytes height, 2 bytes resolution (ppi),
 *               2 bytes number of minutiae, then 7 bytes per minutia:
 *               2 bytes x, 2 bytes y, 2 bytes type (top 2 bits) and angle in tenths of a degree
 *               (low 12 bits), 1 byte quality.
 *
 * Big-endian. Angles keep a tenth of a degree (the search's scores are the same as on the public
 * shape); 359.96 rounds to 0, not to 360.
 */
const CODEC_VERSION = 1;
const TYPE_CODES: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };
const TYPES_BY_CODE: MinutiaType[] = ['other', 'ending', 'bifurcation'];
const FINGER_HEADER_BYTES = 9;
const MINUTIA_BYTES = 7;

export class StoredTemplateError extends Error {
  override name = 'StoredTemplateError';
}

function tenthsOfDegree(angle: number): number {
  return Math.round(angle * 10) % 3600;
}

export function encodeFingers(fingers: readonly EnrolledFinger[]): Uint8Array {
  if (fingers.length > 255) throw new StoredTemplateError('too many fingers');
  const size =
    2 + fingers.reduce((sum, f) => sum + FINGER_HEADER_BYTES + f.template.minutiae.length * MINUTIA_BYTES, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = CODEC_VERSION;
  bytes[1] = fingers.length;
  let at = 2;
  for (const { position, template } of fingers) {
    bytes[at] = position;
    view.setUint16(at + 1, template.width);
    view.setUint16(at + 3, template.height);
    view.setUint16(at + 5, template.resolutionPpi);
    view.setUint16(at + 7, template.minutiae.length);
    at += FINGER_HEADER_BYTES;
    for (const m of template.minutiae) {
      view.setUint16(at, m.x);
      view.setUint16(at + 2, m.y);
      view.setUint16(at + 4, (TYPE_CODES[m.type] << 12) | tenthsOfDegree(m.angle));
      bytes[at + 6] = m.quality;
      at += MINUTIA_BYTES;
    }
  }
  return bytes;
}

/**
 * Reads stored fingers back, checking what the public schema checks (positions, image bounds,
 * angles, types, qualities, counts) without its cost: a search decodes up to 200 subjects' fingers.
 */
export function decodeFingers(bytes: Uint8Array): EnrolledFinger[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, length: number) => {
    if (at + length > bytes.length) throw new StoredTemplateError('stored fingers are truncated');
  };
  need(0, 2);
  if (bytes[0] !== CODEC_VERSION) throw new StoredTemplateError(`unknown stored fingers version ${bytes[0]}`);
  const fingers: EnrolledFinger[] = [];
  let at = 2;
  for (let f = 0; f < bytes[1]!; f++) {
    need(at, FINGER_HEADER_BYTES);
    const position = bytes[at]!;
    const width = view.getUint16(at + 1);
    const height = view.getUint16(at + 3);
    const resolutionPpi = view.getUint16(at + 5);
    const count = view.getUint16(at + 7);
    at += FINGER_HEADER_BYTES;
    if (position < 1 || position > 10) throw new StoredTemplateError('stored finger position out of range');
    if (count > TEMPLATE_LIMITS.maxMinutiae) throw new StoredTemplateError('too many stored minutiae');
    need(at, count * MINUTIA_BYTES);
    const minutiae: MinutiaeTemplate['minutiae'] = [];
    for (let i = 0; i < count; i++) {
      const x = view.getUint16(at);
      const y = view.getUint16(at + 2);
      const packed = view.getUint16(at + 4);
      const type = TYPES_BY_CODE[packed >> 12];
      const tenths = packed & 0xfff;
      const quality = bytes[at + 6]!;
      at += MINUTIA_BYTES;
      if (x >= width || y >= height) throw new StoredTemplateError('stored minutia outside the image width or height');
      if (!type || tenths >= 3600 || quality > 100) throw new StoredTemplateError('stored minutia out of range');
      minutiae.push({ x, y, angle: tenths / 10, type, quality });
    }
    fingers.push({ position: position as FingerPosition, template: { width, height, resolutionPpi, minutiae } });
  }
  if (at !== bytes.length) throw new StoredTemplateError('stored fingers have trailing bytes');
  return fingers;
}
