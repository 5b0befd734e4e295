import { Buffer } from 'node:buffer';
import {
  MinutiaeTemplateSchema,
  TEMPLATE_LIMITS,
  type Minutia,
  type MinutiaType,
  type MinutiaeTemplate,
} from '#core/schemas/template';

/**
 * ISO/IEC 19794-2:2005 finger minutiae records ("FMR"), the binary format livescan and AFIS
 * software exchange, to and from our {@link MinutiaeTemplate}.
 *
 * Record layout (all integers big-endian):
 *
 *   Record header, 24 bytes
 *     0  4  format identifier "FMR\0"
 *     4  4  version " 20\0"
 *     8  4  total record length in bytes, header included
 *    12  2  capture equipment: 1 bit certification (Annex B), 3 bits reserved, 12 bits device type ID
 *    14  2  image width (px)         16  2  image height (px)
 *    18  2  horizontal resolution    20  2  vertical resolution     (pixels per centimetre)
 *    22  1  number of finger views   23  1  reserved (0)
 *   Per finger view
 *     0  1  finger position (0 unknown, 1-10 as in ANSI/NIST-ITL: right thumb..little, left thumb..little)
 *     1  1  view number (high 4 bits) and impression type (low 4 bits)
 *     2  1  finger quality (0-100)
 *     3  1  number of minutiae
 *     4  6n minutiae: 2 bits type (01 ending, 10 bifurcation, 00 other, 11 reserved) + 14 bits x,
 *              2 bits reserved + 14 bits y, 1 byte angle in units of 360/256 = 1.40625 degrees,
 *              1 byte quality (0-100)
 *     .  2  extended data block length in bytes, not counting these 2 bytes (0: none), then the block
 *
 * Length field variants. ISO/IEC 19794-2:2005 has a 4-byte record length. ANSI/INCITS 378-2004,
 * its American sibling, uses the same "FMR\0" / " 20\0" magic but a 2-byte length (or 2 zero bytes
 * and a 4-byte length above 65,535 bytes), followed by a 4-byte CBEFF product ID, so its header is
 * 26 (or 30) bytes; its minutia angles are in 2-degree units (0-179). Both turn up in the wild under
 * the name "FMR". We always write the ISO layout. On read we tell them apart the way FingerprintIO /
 * SourceAFIS do: bytes 8-9 read as a 2-byte length of at least 26 can only be ANSI (an ISO record
 * that long would need a record length of 26 x 65,536 bytes and more); zero there means the ISO
 * 4-byte length. The 6-byte ANSI variant only exists for records above 64 KiB, which
 * {@link ISO_MAX_RECORD_BYTES} refuses anyway.
 *
 * Angle convention. ISO/IEC 19794-2 measures the minutia angle counter-clockwise from the
 * horizontal axis pointing right, in image coordinates with the origin top-left (y down): the same
 * convention as our template ("degrees, counter-clockwise from the x axis", see the matcher and
 * synthetic-fingers), so angles are copied, not mirrored. They are quantised to 1.40625-degree units
 * on write (nearest unit), so an angle round-trips to within 0.703125 degrees.
 *
 * Resolution. Records carry pixels per centimetre, our template pixels per inch; see
 * {@link ppiToPpcm} and {@link ppcmToPpi} for the rounding (500 ppi = 197 ppcm, 1000 ppi = 394 ppcm,
 * both round-trip exactly).
 */

export type IsoTemplateErrorCode =
  /** The first 4 bytes are not "FMR\0". */
  | 'bad-magic'
  /** Not version " 20\0" (ISO/IEC 19794-2:2005 / ANSI 378-2004), e.g. the 2011 edition "030\0". */
  | 'bad-version'
  /** The bytes end before the record header, or before the length the record declares. */
  | 'truncated'
  /** The declared record length is shorter than the header or than the bytes given. */
  | 'length-mismatch'
  /** Finger view and minutiae counts, extended data lengths and the record length do not add up. */
  | 'count-mismatch'
  /** The header declares zero finger views. */
  | 'no-finger-view'
  /** A field is outside what the standard or our template allows (minutia outside the image, quality > 100, ...). */
  | 'out-of-range'
  /** Well-formed but not representable as our template (e.g. different horizontal and vertical resolution). */
  | 'unsupported'
  /** Larger than {@link ISO_MAX_RECORD_BYTES}. */
  | 'too-large'
  /** The base64 text is not strict, canonical, standard-alphabet base64. */
  | 'bad-base64';

/** A malformed or unusable record. The message names the field, offset and counts, never raw data. */
export class IsoTemplateError extends Error {
  override readonly name = 'IsoTemplateError';

  constructor(
    readonly code: IsoTemplateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Largest record we decode. One finger view with the most minutiae the format can hold (255) is
 * 1,560 bytes; the rest leaves room for extended data (ridge counts, cores and deltas) and a few
 * views while bounding what an API caller can make us parse.
 */
export const ISO_MAX_RECORD_BYTES = 32_768;
/** Base64 length of {@link ISO_MAX_RECORD_BYTES}. */
export const ISO_MAX_BASE64_CHARS = 4 * Math.ceil(ISO_MAX_RECORD_BYTES / 3);

/** ISO/IEC 19794-2:2005 impression type codes (low 4 bits of the view byte). */
export const ISO_IMPRESSION_TYPES = {
  livePlain: 0,
  liveRolled: 1,
  nonLivePlain: 2,
  nonLiveRolled: 3,
  swipe: 8,
} as const;

export interface IsoEncodeOptions {
  /** 0 (unknown, the default) or 1-10 as in ANSI/NIST-ITL. */
  fingerPosition?: number;
  /** 0-15; see {@link ISO_IMPRESSION_TYPES}. Default 0, live-scan plain. */
  impressionType?: number;
  /**
   * Finger quality 0-100. Our template has no finger-level quality, so the default is the rounded
   * mean of the minutiae qualities (0 for a template without minutiae).
   */
  quality?: number;
}

export type FmrLayout = 'iso-19794-2:2005' | 'ansi-378:2004';

export interface DecodedIsoTemplate {
  /** The first finger view, as a template that passes MinutiaeTemplateSchema. */
  template: MinutiaeTemplate;
  /** Of the first finger view: 0 unknown, 1-10 as in ANSI/NIST-ITL. */
  fingerPosition: number;
  /** Of the first finger view, 0-15; see {@link ISO_IMPRESSION_TYPES}. */
  impressionType: number;
  /** Of the first finger view, 0-100. */
  fingerQuality: number;
  /** Finger views in the record (all were checked for structure; only the first is decoded). */
  viewCount: number;
  /** Which header layout the record used (see the module comment on length variants). */
  layout: FmrLayout;
}

const FORMAT_ID = [0x46, 0x4d, 0x52, 0x00]; // "FMR\0"
const VERSION_2005 = [0x20, 0x32, 0x30, 0x00]; // " 20\0"
const VERSION_2011 = [0x30, 0x33, 0x30, 0x00]; // "030\0"
const ISO_HEADER_BYTES = 24;
const ANSI_HEADER_BYTES = 26;
const VIEW_HEADER_BYTES = 4;
const MINUTIA_BYTES = 6;
const EXTENDED_LENGTH_BYTES = 2;
const MAX_FINGER_POSITION = 10;
const MAX_QUALITY = 100;
const COORDINATE_MASK = 0x3fff;
/** ISO minutia angle unit: 360 / 256 degrees (exact in binary floating point). */
export const ISO_ANGLE_UNIT_DEGREES = 360 / 256;
/** ANSI/INCITS 378-2004 minutia angle unit. */
const ANSI_ANGLE_UNIT_DEGREES = 2;
const CM_PER_INCH = 2.54;

const TYPE_CODES: Record<MinutiaType, number> = { other: 0b00, ending: 0b01, bifurcation: 0b10 };
const TYPES_BY_CODE: readonly (MinutiaType | undefined)[] = ['other', 'ending', 'bifurcation', undefined];

/** Pixels per inch to the record's pixels per centimetre: nearest integer (500 -> 197, 1000 -> 394). */
export function ppiToPpcm(ppi: number): number {
  return Math.round(ppi / CM_PER_INCH);
}

/**
 * Pixels per centimetre back to pixels per inch. About 2.54 integer ppi values share one ppcm value,
 * so plain rounding cannot give every ppi back (394 ppcm x 2.54 = 1000.76, which rounds to 1001).
 * Rule: of the ppi values that {@link ppiToPpcm} maps to this ppcm, the one that is a multiple of 10
 * if there is one (at most one can be: the range is narrower than 10), otherwise the nearest integer
 * to ppcm x 2.54. So every multiple of 10 ppi round-trips exactly (250, 500, 1000, ...), and any
 * other ppi comes back within 2 ppi (e.g. 333 -> 131 -> 333, 501 -> 197 -> 500).
 */
export function ppcmToPpi(ppcm: number): number {
  const nearest = Math.round(ppcm * CM_PER_INCH);
  for (let ppi = nearest - 2; ppi <= nearest + 2; ppi++) {
    if (ppi % 10 === 0 && ppiToPpcm(ppi) === ppcm) return ppi;
  }
  return nearest;
}

function checkOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IsoTemplateError('out-of-range', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Writes a template as a single-finger-view ISO/IEC 19794-2:2005 record: header, one finger view
 * (view number 0), its minutiae in template order, and an empty extended data block. Capture
 * equipment is written as 0 (not certified, device unknown). Throws {@link IsoTemplateError}
 * ('out-of-range') for a template that fails MinutiaeTemplateSchema or an option out of range.
 */
export function encodeIsoTemplate(template: MinutiaeTemplate, options: IsoEncodeOptions = {}): Uint8Array {
  const parsed = MinutiaeTemplateSchema.safeParse(template);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new IsoTemplateError('out-of-range', `template is not valid${where}: ${issue?.message ?? 'invalid'}`);
  }
  const { width, height, resolutionPpi, minutiae } = parsed.data;
  const fingerPosition = checkOption('fingerPosition', options.fingerPosition ?? 0, 0, MAX_FINGER_POSITION);
  const impressionType = checkOption('impressionType', options.impressionType ?? ISO_IMPRESSION_TYPES.livePlain, 0, 15);
  const meanQuality =
    minutiae.length === 0 ? 0 : Math.round(minutiae.reduce((sum, m) => sum + m.quality, 0) / minutiae.length);
  const fingerQuality = checkOption('quality', options.quality ?? meanQuality, 0, MAX_QUALITY);
  const ppcm = ppiToPpcm(resolutionPpi);

  const length = ISO_HEADER_BYTES + VIEW_HEADER_BYTES + MINUTIA_BYTES * minutiae.length + EXTENDED_LENGTH_BYTES;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  bytes.set(FORMAT_ID, 0);
  bytes.set(VERSION_2005, 4);
  view.setUint32(8, length);
  view.setUint16(12, 0);
  view.setUint16(14, width);
  view.setUint16(16, height);
  view.setUint16(18, ppcm);
  view.setUint16(20, ppcm);
  view.setUint8(22, 1);
  view.setUint8(23, 0);

  let offset = ISO_HEADER_BYTES;
  view.setUint8(offset, fingerPosition);
  view.setUint8(offset + 1, impressionType); // view number 0 in the high 4 bits
  view.setUint8(offset + 2, fingerQuality);
  view.setUint8(offset + 3, minutiae.length);
  offset += VIEW_HEADER_BYTES;
  for (const m of minutiae) {
    view.setUint16(offset, (TYPE_CODES[m.type] << 14) | m.x);
    view.setUint16(offset + 2, m.y);
    view.setUint8(offset + 4, Math.round(m.angle / ISO_ANGLE_UNIT_DEGREES) % 256);
    view.setUint8(offset + 5, m.quality);
    offset += MINUTIA_BYTES;
  }
  view.setUint16(offset, 0);
  return bytes;
}

function sameBytes(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return expected.every((b, i) => bytes[offset + i] === b);
}

function fail(code: IsoTemplateErrorCode, message: string): never {
  throw new IsoTemplateError(code, message);
}

/**
 * Reads an ISO/IEC 19794-2:2005 finger minutiae record (ANSI/INCITS 378-2004 records, same magic
 * with a 2-byte length, are accepted too). The whole record is checked for structure: magic,
 * version, the declared length against the bytes, and every finger view's minutiae count and
 * extended data length against the record length. Extended data blocks are skipped by their length.
 *
 * If the record holds several finger views, only the FIRST is decoded (viewCount says how many
 * there were). Its minutiae become a template with the header's image size and resolution; angles
 * are the quantised angles (multiples of 1.40625 degrees, in [0, 360)); reserved bits of y are
 * ignored. The result passes MinutiaeTemplateSchema: a minutia outside the image, a quality above
 * 100, more than {@link TEMPLATE_LIMITS}.maxMinutiae minutiae or an image above its size limit is an
 * 'out-of-range' error. Throws {@link IsoTemplateError}.
 */
export function decodeIsoTemplate(bytes: Uint8Array): DecodedIsoTemplate {
  const given = bytes.length;
  if (given > ISO_MAX_RECORD_BYTES) {
    fail('too-large', `record is ${given} bytes, more than the ${ISO_MAX_RECORD_BYTES}-byte limit`);
  }
  if (given < FORMAT_ID.length) {
    fail('truncated', `record is ${given} bytes, too short for the 4-byte format identifier`);
  }
  if (!sameBytes(bytes, 0, FORMAT_ID)) {
    fail('bad-magic', 'format identifier at offset 0 is not "FMR\\0": not a finger minutiae record');
  }
  if (given < 8) fail('truncated', `record is ${given} bytes, too short for the version at offset 4`);
  if (!sameBytes(bytes, 4, VERSION_2005)) {
    const hint = sameBytes(bytes, 4, VERSION_2011)
      ? ' (this is the 2011 edition, "030\\0", which is not supported)'
      : '';
    fail('bad-version', `version at offset 4 is not " 20\\0" (ISO/IEC 19794-2:2005)${hint}`);
  }
  if (given < ISO_HEADER_BYTES) {
    fail('truncated', `record is ${given} bytes, shorter than the ${ISO_HEADER_BYTES}-byte record header`);
  }

  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstTwo = data.getUint16(8);
  const layout: FmrLayout = firstTwo >= ANSI_HEADER_BYTES ? 'ansi-378:2004' : 'iso-19794-2:2005';
  const ansi = layout === 'ansi-378:2004';
  const headerBytes = ansi ? ANSI_HEADER_BYTES : ISO_HEADER_BYTES;
  const declared = ansi ? firstTwo : data.getUint32(8);
  const lengthField = ansi
    ? 'record length (offset 8, 2 bytes, ANSI/INCITS 378-2004 layout)'
    : 'record length (offset 8)';
  if (given < headerBytes) {
    fail('truncated', `record is ${given} bytes, shorter than the ${headerBytes}-byte ${layout} record header`);
  }
  if (declared > ISO_MAX_RECORD_BYTES) {
    fail('too-large', `${lengthField} declares ${declared} bytes, more than the ${ISO_MAX_RECORD_BYTES}-byte limit`);
  }
  if (declared < headerBytes) {
    fail('length-mismatch', `${lengthField} declares ${declared} bytes, less than the ${headerBytes}-byte header`);
  }
  if (declared > given) {
    fail('truncated', `${lengthField} declares ${declared} bytes but only ${given} were given`);
  }
  if (declared < given) {
    fail('length-mismatch', `${lengthField} declares ${declared} bytes but ${given} were given`);
  }

  // Header fields after the length (and, for ANSI, the 4-byte CBEFF product ID).
  const fields = headerBytes - 12;
  const width = data.getUint16(fields + 2);
  const height = data.getUint16(fields + 4);
  const resolutionX = data.getUint16(fields + 6);
  const resolutionY = data.getUint16(fields + 8);
  const viewCount = data.getUint8(fields + 10);
  if (viewCount === 0) fail('no-finger-view', `record header (offset ${fields + 10}) declares no finger views`);

  // Walk every view so that counts and lengths must add up exactly to the record length.
  let offset = headerBytes;
  for (let v = 1; v <= viewCount; v++) {
    if (offset + VIEW_HEADER_BYTES + EXTENDED_LENGTH_BYTES > declared) {
      fail(
        'count-mismatch',
        `record header declares ${viewCount} finger views but the record ends after ${v - 1} (offset ${offset})`,
      );
    }
    const count = data.getUint8(offset + 3);
    const minutiaeEnd = offset + VIEW_HEADER_BYTES + MINUTIA_BYTES * count;
    if (minutiaeEnd + EXTENDED_LENGTH_BYTES > declared) {
      fail(
        'count-mismatch',
        `finger view ${v} (offset ${offset}) declares ${count} minutiae (${MINUTIA_BYTES * count} bytes) ` +
          `but only ${Math.max(0, declared - offset - VIEW_HEADER_BYTES - EXTENDED_LENGTH_BYTES)} bytes remain for them`,
      );
    }
    const extended = data.getUint16(minutiaeEnd);
    const viewEnd = minutiaeEnd + EXTENDED_LENGTH_BYTES + extended;
    if (viewEnd > declared) {
      fail(
        'count-mismatch',
        `finger view ${v}: extended data block (offset ${minutiaeEnd}) declares ${extended} bytes ` +
          `but only ${declared - minutiaeEnd - EXTENDED_LENGTH_BYTES} remain in the record`,
      );
    }
    offset = viewEnd;
  }
  if (offset !== declared) {
    fail(
      'count-mismatch',
      `the ${viewCount} finger view(s) end at offset ${offset} but the record length is ${declared} ` +
        `(${declared - offset} bytes unaccounted for)`,
    );
  }

  if (width < 1 || width > TEMPLATE_LIMITS.maxImagePx || height < 1 || height > TEMPLATE_LIMITS.maxImagePx) {
    fail(
      'out-of-range',
      `image size ${width} x ${height} (offset ${fields + 2}) is outside 1-${TEMPLATE_LIMITS.maxImagePx} px`,
    );
  }
  if (resolutionX !== resolutionY) {
    fail(
      'unsupported',
      `horizontal and vertical resolution differ (${resolutionX} and ${resolutionY} pixels/cm, offset ${fields + 6}); ` +
        'only square pixels are supported',
    );
  }
  const resolutionPpi = ppcmToPpi(resolutionX);
  const { minResolutionPpi, maxResolutionPpi } = TEMPLATE_LIMITS;
  if (resolutionPpi < minResolutionPpi || resolutionPpi > maxResolutionPpi) {
    fail(
      'out-of-range',
      `resolution ${resolutionX} pixels/cm (${resolutionPpi} ppi, offset ${fields + 6}) is outside ` +
        `${minResolutionPpi}-${maxResolutionPpi} ppi`,
    );
  }

  const viewStart = headerBytes;
  const fingerPosition = data.getUint8(viewStart);
  const impressionType = data.getUint8(viewStart + 1) & 0x0f;
  const fingerQuality = data.getUint8(viewStart + 2);
  const count = data.getUint8(viewStart + 3);
  if (fingerPosition > MAX_FINGER_POSITION) {
    fail('out-of-range', `finger position ${fingerPosition} (offset ${viewStart}) is not 0-${MAX_FINGER_POSITION}`);
  }
  if (fingerQuality > MAX_QUALITY) {
    fail('out-of-range', `finger quality ${fingerQuality} (offset ${viewStart + 2}) is above ${MAX_QUALITY}`);
  }
  if (count > TEMPLATE_LIMITS.maxMinutiae) {
    fail(
      'out-of-range',
      `finger view 1 has ${count} minutiae (offset ${viewStart + 3}), more than ${TEMPLATE_LIMITS.maxMinutiae}`,
    );
  }

  const angleUnit = ansi ? ANSI_ANGLE_UNIT_DEGREES : ISO_ANGLE_UNIT_DEGREES;
  const angleUnits = ansi ? 180 : 256;
  const minutiae: Minutia[] = [];
  for (let i = 0; i < count; i++) {
    const at = viewStart + VIEW_HEADER_BYTES + MINUTIA_BYTES * i;
    const label = `minutia ${i + 1} of ${count} (offset ${at})`;
    const typeAndX = data.getUint16(at);
    const type = TYPES_BY_CODE[typeAndX >> 14];
    const x = typeAndX & COORDINATE_MASK;
    const y = data.getUint16(at + 2) & COORDINATE_MASK;
    const angle = data.getUint8(at + 4);
    const quality = data.getUint8(at + 5);
    if (type === undefined) fail('out-of-range', `${label} has the reserved type code 11`);
    if (x >= width) fail('out-of-range', `${label}: x = ${x} is outside the image width ${width}`);
    if (y >= height) fail('out-of-range', `${label}: y = ${y} is outside the image height ${height}`);
    if (angle >= angleUnits) fail('out-of-range', `${label}: angle code ${angle} is above ${angleUnits - 1}`);
    if (quality > MAX_QUALITY) fail('out-of-range', `${label}: quality ${quality} is above ${MAX_QUALITY}`);
    minutiae.push({ x, y, angle: angle * angleUnit, type, quality });
  }

  const template = MinutiaeTemplateSchema.safeParse({ width, height, resolutionPpi, minutiae });
  if (!template.success) {
    // Unreachable given the checks above; kept so the promise "passes the schema" cannot silently break.
    const issue = template.error.issues[0];
    fail('out-of-range', `decoded template is not valid at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return { template: template.data, fingerPosition, impressionType, fingerQuality, viewCount, layout };
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** {@link encodeIsoTemplate}, as standard base64 with padding (for JSON). */
export function encodeIsoTemplateBase64(template: MinutiaeTemplate, options?: IsoEncodeOptions): string {
  return Buffer.from(encodeIsoTemplate(template, options)).toString('base64');
}

function base64Problem(text: string): string {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) {
    const what = /\s/.test(text.charAt(bad))
      ? 'whitespace'
      : text.charAt(bad) === '-' || text.charAt(bad) === '_'
        ? 'a base64url character ("-" or "_"; use standard base64 with "+" and "/")'
        : 'not in the base64 alphabet (A-Z, a-z, 0-9, "+", "/")';
    return `character at position ${bad} is ${what}`;
  }
  if (text.length % 4 !== 0) return `length ${text.length} is not a multiple of 4 (missing "=" padding?)`;
  return '"=" padding is misplaced';
}

/**
 * Strict base64 (standard alphabet, "=" padding required, no whitespace, canonical: unused bits of
 * the last character must be zero) to {@link decodeIsoTemplate}. Throws {@link IsoTemplateError}:
 * 'bad-base64' or 'too-large' for the text, otherwise whatever the record decoding throws.
 */
export function decodeIsoTemplateBase64(text: string): DecodedIsoTemplate {
  if (typeof text !== 'string') fail('bad-base64', 'expected a base64 string');
  if (text.length === 0) fail('bad-base64', 'base64 data is empty');
  if (text.length > ISO_MAX_BASE64_CHARS) {
    fail('too-large', `base64 data is ${text.length} characters, more than ${ISO_MAX_BASE64_CHARS}`);
  }
  if (!STRICT_BASE64.test(text)) fail('bad-base64', `not valid base64: ${base64Problem(text)}`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    fail('bad-base64', 'not canonical base64: the unused bits of the last character are not zero');
  }
  return decodeIsoTemplate(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
