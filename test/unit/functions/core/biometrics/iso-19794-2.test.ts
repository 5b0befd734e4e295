import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  decodeIsoTemplate,
  decodeIsoTemplateBase64,
  encodeIsoTemplate,
  encodeIsoTemplateBase64,
  ISO_ANGLE_UNIT_DEGREES,
  ISO_MAX_BASE64_CHARS,
  ISO_MAX_RECORD_BYTES,
  IsoTemplateError,
  ppcmToPpi,
  ppiToPpcm,
  type IsoTemplateErrorCode,
} from '#core/biometrics/iso-19794-2';
import { generateImpression, generateMasterFinger } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';
import { MinutiaeTemplateSchema, type MinutiaeTemplate } from '#core/schemas';
import { ALL_POSITIONS } from './helpers';

const HALF_UNIT = ISO_ANGLE_UNIT_DEGREES / 2;

/** Circular difference of two angles in degrees, in [0, 180]. */
function angleDiff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

function expectIsoError(act: () => unknown, code: IsoTemplateErrorCode): IsoTemplateError {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IsoTemplateError);
  const error = caught as IsoTemplateError;
  expect({ code: error.code, message: error.message }).toMatchObject({ code });
  expect(error.message).toMatch(/\S/);
  return error;
}

/** Generated templates: masters and good and poor impressions; every 7th minutia typed 'other'. */
function generatedTemplates(): { name: string; template: MinutiaeTemplate }[] {
  return Array.from({ length: 25 }, (_, i) => {
    const rng = createRng(71_000 + i);
    const master = generateMasterFinger(rng.fork('master'), ALL_POSITIONS[i % 10]!);
    return [
      { name: `master ${i}`, template: master },
      { name: `good ${i}`, template: generateImpression(master, rng.fork('good'), 'good') },
      { name: `poor ${i}`, template: generateImpression(master, rng.fork('poor'), 'poor') },
    ];
  })
    .flat()
    .map(({ name, template }) => ({
      name,
      template: {
        ...template,
        minutiae: template.minutiae.map((m, k) => (k % 7 === 3 ? { ...m, type: 'other' as const } : m)),
      },
    }));
}

/** The golden record of the byte-level test: 400 x 500 px at 500 ppi, right index, live-scan rolled. */
const GOLDEN_TEMPLATE: MinutiaeTemplate = {
  width: 400,
  height: 500,
  resolutionPpi: 500,
  minutiae: [
    { x: 100, y: 200, angle: 90, type: 'ending', quality: 80 },
    { x: 399, y: 499, angle: 359.5, type: 'bifurcation', quality: 0 },
  ],
};
const GOLDEN_HEX = `
  464d5200 20323000 0000002a 0000 0190 01f4 00c5 00c5 01 00
  02 01 3c 02
  4064 00c8 40 50
  818f 01f3 00 00
  0000`;

describe('encodeIsoTemplate / decodeIsoTemplate round trip', () => {
  const templates = generatedTemplates();

  it('covers a useful variety of templates', () => {
    // Assess
    const minutiae = templates.flatMap((t) => t.template.minutiae);
    expect(templates.length).toBe(75);
    expect(minutiae.length).toBeGreaterThan(2000);
    expect(new Set(minutiae.map((m) => m.type))).toEqual(new Set(['ending', 'bifurcation', 'other']));
  });

  it.each(templates)('$name: JSON -> ISO -> JSON keeps everything but angle quantisation', ({ template }) => {
    // Act
    const decoded = decodeIsoTemplate(encodeIsoTemplate(template)).template;

    // Assess
    expect(MinutiaeTemplateSchema.safeParse(decoded).success).toBe(true);
    expect({ width: decoded.width, height: decoded.height, ppi: decoded.resolutionPpi }).toEqual({
      width: template.width,
      height: template.height,
      ppi: template.resolutionPpi,
    });
    expect(decoded.minutiae.map(({ x, y, type, quality }) => ({ x, y, type, quality }))).toEqual(
      template.minutiae.map(({ x, y, type, quality }) => ({ x, y, type, quality })),
    );
    decoded.minutiae.forEach((m, i) => {
      expect(angleDiff(m.angle, template.minutiae[i]!.angle)).toBeLessThanOrEqual(HALF_UNIT);
      expect(m.angle).toBeGreaterThanOrEqual(0);
      expect(m.angle).toBeLessThan(360);
    });
  });

  it('is stable: a decoded template encodes to the same bytes', () => {
    // Prepare
    const first = encodeIsoTemplate(templates[0]!.template, { fingerPosition: 7, quality: 55 });

    // Act
    const again = encodeIsoTemplate(decodeIsoTemplate(first).template, { fingerPosition: 7, quality: 55 });

    // Assess
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it.each([
    { angle: 0, expected: 0 },
    { angle: 0.7, expected: 0 },
    { angle: 0.71, expected: ISO_ANGLE_UNIT_DEGREES },
    { angle: 90, expected: 90 },
    { angle: 180.5, expected: 180 },
    { angle: 359.29, expected: 255 * ISO_ANGLE_UNIT_DEGREES },
    { angle: 359.3, expected: 0 },
    { angle: 359.999, expected: 0 },
  ])('quantises angle $angle to $expected, within [0, 360)', ({ angle, expected }) => {
    // Prepare
    const template: MinutiaeTemplate = {
      width: 10,
      height: 10,
      resolutionPpi: 500,
      minutiae: [{ x: 0, y: 9, angle, type: 'other', quality: 100 }],
    };

    // Act
    const decoded = decodeIsoTemplate(encodeIsoTemplate(template)).template;

    // Assess
    expect(decoded.minutiae[0]!.angle).toBe(expected);
    expect(angleDiff(decoded.minutiae[0]!.angle, angle)).toBeLessThanOrEqual(HALF_UNIT);
  });

  it('round-trips a template without minutiae', () => {
    // Prepare
    const template: MinutiaeTemplate = { width: 1, height: 2000, resolutionPpi: 1000, minutiae: [] };

    // Act
    const decoded = decodeIsoTemplate(encodeIsoTemplate(template));

    // Assess
    expect(decoded.template).toEqual(template);
    expect(decoded.fingerQuality).toBe(0);
  });

  it('carries finger position, impression type and quality, with defaults', () => {
    // Act
    const given = decodeIsoTemplate(
      encodeIsoTemplate(GOLDEN_TEMPLATE, { fingerPosition: 10, impressionType: 8, quality: 100 }),
    );
    const defaults = decodeIsoTemplate(encodeIsoTemplate(GOLDEN_TEMPLATE));

    // Assess
    expect(given).toMatchObject({ fingerPosition: 10, impressionType: 8, fingerQuality: 100, viewCount: 1 });
    expect(defaults).toMatchObject({ fingerPosition: 0, impressionType: 0, fingerQuality: 40, viewCount: 1 });
    expect(defaults.layout).toBe('iso-19794-2:2005');
  });
});

describe('resolution in pixels per centimetre', () => {
  it.each([
    { ppi: 500, ppcm: 197 },
    { ppi: 1000, ppcm: 394 },
    { ppi: 250, ppcm: 98 },
    { ppi: 333, ppcm: 131 },
  ])('$ppi ppi <-> $ppcm ppcm', ({ ppi, ppcm }) => {
    // Act
    const there = ppiToPpcm(ppi);
    const back = ppcmToPpi(there);

    // Assess
    expect(there).toBe(ppcm);
    expect(back).toBe(ppi);
  });

  it('gives back every multiple of 10 ppi from 250 to 1000, and any ppi within 2', () => {
    // Prepare
    const all = Array.from({ length: 751 }, (_, i) => 250 + i);

    // Act
    const back = all.map((ppi) => ({ ppi, back: ppcmToPpi(ppiToPpcm(ppi)) }));

    // Assess
    expect(back.filter((r) => r.ppi % 10 === 0 && r.back !== r.ppi)).toEqual([]);
    expect(back.filter((r) => Math.abs(r.back - r.ppi) > 2)).toEqual([]);
  });
});

describe('byte layout (golden record)', () => {
  it('writes the exact bytes of a 2-minutia record', () => {
    // Act
    const bytes = encodeIsoTemplate(GOLDEN_TEMPLATE, { fingerPosition: 2, impressionType: 1, quality: 60 });

    // Assess
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('FMR\0');
    expect(Buffer.from(bytes.subarray(4, 8)).toString('latin1')).toBe(' 20\0');
    expect(view.getUint32(8)).toBe(42);
    expect(bytes.length).toBe(42);
    expect(view.getUint16(12)).toBe(0);
    expect([view.getUint16(14), view.getUint16(16)]).toEqual([400, 500]);
    expect([view.getUint16(18), view.getUint16(20)]).toEqual([197, 197]);
    expect([bytes[22], bytes[23]]).toEqual([1, 0]);
    expect([...bytes.subarray(24, 28)]).toEqual([2, 0x01, 60, 2]);
    // First minutia: type 01 + x 100, reserved 00 + y 200, 90 degrees = 64 units, quality 80.
    expect([...bytes.subarray(28, 34)]).toEqual([0x40, 0x64, 0x00, 0xc8, 0x40, 0x50]);
    expect(view.getUint16(40)).toBe(0);
    expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(hex(GOLDEN_HEX)).toString('hex'));
  });

  it('reads the hand-built golden record', () => {
    // Act
    const decoded = decodeIsoTemplate(hex(GOLDEN_HEX));

    // Assess
    expect(decoded).toEqual({
      template: {
        ...GOLDEN_TEMPLATE,
        minutiae: [
          { x: 100, y: 200, angle: 90, type: 'ending', quality: 80 },
          { x: 399, y: 499, angle: 0, type: 'bifurcation', quality: 0 },
        ],
      },
      fingerPosition: 2,
      impressionType: 1,
      fingerQuality: 60,
      viewCount: 1,
      layout: 'iso-19794-2:2005',
    });
  });

  it('reads the first of several finger views, skipping an extended data block and ignoring reserved y bits', () => {
    // Prepare: view 1 (right thumb, 1 minutia, 5 bytes of extended data), view 2 (left thumb, 1 minutia).
    const bytes = hex(`
      464d5200 20323000 00000035 0000 0064 0064 00c5 00c5 02 00
      01 00 32 01   0005 c00a 20 4b   0005 0001 0203 04
      06 00 32 01   800a 000b 80 4b   0000`);

    // Act
    const decoded = decodeIsoTemplate(bytes);

    // Assess
    expect(decoded.viewCount).toBe(2);
    expect(decoded.fingerPosition).toBe(1);
    expect(decoded.template.minutiae).toEqual([{ x: 5, y: 10, angle: 45, type: 'other', quality: 75 }]);
  });

  it('reads the ANSI/INCITS 378-2004 variant (2-byte length, CBEFF product ID, 2-degree angles)', () => {
    // Prepare
    const bytes = hex(`
      464d5200 20323000 002c 0033 0001 0000 0190 01f4 00c5 00c5 01 00
      03 01 46 02
      4064 00c8 2d 50
      818f 01f3 b3 00
      0000`);

    // Act
    const decoded = decodeIsoTemplate(bytes);

    // Assess
    expect(decoded.layout).toBe('ansi-378:2004');
    expect(decoded).toMatchObject({ fingerPosition: 3, impressionType: 1, fingerQuality: 70, viewCount: 1 });
    expect(decoded.template).toEqual({
      width: 400,
      height: 500,
      resolutionPpi: 500,
      minutiae: [
        { x: 100, y: 200, angle: 90, type: 'ending', quality: 80 },
        { x: 399, y: 499, angle: 358, type: 'bifurcation', quality: 0 },
      ],
    });
  });
});

/** A copy of the golden record with some bytes overwritten (offset -> value) or the length changed. */
function mutated(change: (bytes: Uint8Array, view: DataView) => Uint8Array | void): Uint8Array {
  const bytes = hex(GOLDEN_HEX);
  return change(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) ?? bytes;
}

function withTrailing(bytes: Uint8Array, extra: number): Uint8Array {
  const out = new Uint8Array(bytes.length + extra);
  out.set(bytes);
  return out;
}

/** A structurally valid single-view record with `count` minutiae at (1, 1), for limits the encoder cannot produce. */
function recordWithMinutiae(count: number): Uint8Array {
  const length = 24 + 4 + 6 * count + 2;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  bytes.set(hex('464d5200 20323000'));
  view.setUint32(8, length);
  view.setUint16(14, 100);
  view.setUint16(16, 100);
  view.setUint16(18, 197);
  view.setUint16(20, 197);
  bytes[22] = 1;
  bytes[27] = count;
  for (let i = 0; i < count; i++) {
    view.setUint16(28 + 6 * i, 0x4001);
    view.setUint16(30 + 6 * i, 1);
  }
  return bytes;
}

describe('decodeIsoTemplate on malformed records', () => {
  describe.each<{ name: string; bytes: () => Uint8Array; code: IsoTemplateErrorCode; message: RegExp }>([
    {
      name: 'wrong magic',
      bytes: () => mutated((b) => void (b[0] = 0x58)),
      code: 'bad-magic',
      message: /format identifier/,
    },
    {
      name: 'a PNG file',
      bytes: () => hex('89504e470d0a1a0a0000000d49484452'),
      code: 'bad-magic',
      message: /FMR/,
    },
    {
      name: 'wrong version (2011 edition)',
      bytes: () => mutated((b) => b.set(hex('30333000'), 4)),
      code: 'bad-version',
      message: /2011/,
    },
    { name: 'too short for the magic', bytes: () => hex('464d'), code: 'truncated', message: /2 bytes/ },
    {
      name: 'truncated header',
      bytes: () => hex(GOLDEN_HEX).subarray(0, 20),
      code: 'truncated',
      message: /20 bytes, shorter than the 24-byte record header/,
    },
    {
      name: 'truncated minutiae',
      bytes: () => hex(GOLDEN_HEX).subarray(0, 37),
      code: 'truncated',
      message: /declares 42 bytes but only 37/,
    },
    {
      name: 'trailing bytes after the declared length',
      bytes: () => withTrailing(hex(GOLDEN_HEX), 3),
      code: 'length-mismatch',
      message: /declares 42 bytes but 45 were given/,
    },
    {
      name: 'record length smaller than the bytes',
      bytes: () => mutated((_, v) => v.setUint32(8, 36)),
      code: 'length-mismatch',
      message: /declares 36 bytes but 42/,
    },
    {
      name: 'record length smaller than the header',
      bytes: () => mutated((_, v) => v.setUint32(8, 20)),
      code: 'length-mismatch',
      message: /less than the 24-byte header/,
    },
    {
      name: 'record length beyond the limit',
      bytes: () => mutated((_, v) => v.setUint32(8, 0x00100000)),
      code: 'too-large',
      message: /limit/,
    },
    {
      name: 'more minutiae declared than bytes',
      bytes: () => mutated((b) => void (b[27] = 3)),
      code: 'count-mismatch',
      message: /declares 3 minutiae/,
    },
    {
      name: 'fewer minutiae declared than bytes',
      bytes: () => mutated((b) => void (b[27] = 1)),
      code: 'count-mismatch',
      message: /finger view 1/,
    },
    {
      name: 'more finger views declared than present',
      bytes: () => mutated((b) => void (b[22] = 2)),
      code: 'count-mismatch',
      message: /declares 2 finger views/,
    },
    {
      name: 'extended data block longer than the record',
      bytes: () => mutated((_, v) => v.setUint16(40, 10)),
      code: 'count-mismatch',
      message: /extended data block \(offset 40\) declares 10 bytes/,
    },
    {
      name: 'no finger view',
      bytes: () => mutated((b) => void (b[22] = 0)),
      code: 'no-finger-view',
      message: /no finger views/,
    },
    {
      name: 'x beyond the image width',
      bytes: () => mutated((_, v) => v.setUint16(14, 100)),
      code: 'out-of-range',
      message: /minutia 1 of 2 \(offset 28\): x = 100 is outside the image width 100/,
    },
    {
      name: 'y beyond the image height',
      bytes: () => mutated((_, v) => v.setUint16(16, 499)),
      code: 'out-of-range',
      message: /minutia 2 of 2 \(offset 34\): y = 499/,
    },
    {
      name: 'reserved minutia type 11',
      bytes: () => mutated((b) => void (b[28] = 0xc0)),
      code: 'out-of-range',
      message: /reserved type/,
    },
    {
      name: 'minutia quality above 100',
      bytes: () => mutated((b) => void (b[33] = 101)),
      code: 'out-of-range',
      message: /quality 101/,
    },
    {
      name: 'finger quality above 100',
      bytes: () => mutated((b) => void (b[26] = 200)),
      code: 'out-of-range',
      message: /finger quality 200/,
    },
    {
      name: 'finger position 11',
      bytes: () => mutated((b) => void (b[24] = 11)),
      code: 'out-of-range',
      message: /finger position 11/,
    },
    {
      name: 'image wider than the template limit',
      bytes: () => mutated((_, v) => v.setUint16(14, 2001)),
      code: 'out-of-range',
      message: /image size 2001 x 500/,
    },
    {
      name: 'resolution below 250 ppi',
      bytes: () =>
        mutated((_, v) => {
          v.setUint16(18, 50);
          v.setUint16(20, 50);
        }),
      code: 'out-of-range',
      message: /outside 250-1000 ppi/,
    },
    {
      name: 'non-square pixels',
      bytes: () => mutated((_, v) => v.setUint16(20, 196)),
      code: 'unsupported',
      message: /square pixels/,
    },
    {
      name: 'more minutiae than the template allows',
      bytes: () => recordWithMinutiae(201),
      code: 'out-of-range',
      message: /201 minutiae/,
    },
    {
      name: 'more bytes than the limit',
      bytes: () => {
        const big = new Uint8Array(ISO_MAX_RECORD_BYTES + 1);
        big.set(hex(GOLDEN_HEX));
        return big;
      },
      code: 'too-large',
      message: /limit/,
    },
  ])('$name', ({ bytes, code, message }) => {
    it(`throws IsoTemplateError '${code}' naming the problem`, () => {
      // Prepare
      const record = bytes();

      // Act
      const error = expectIsoError(() => decodeIsoTemplate(record), code);

      // Assess
      expect(error.message).toMatch(message);
      expect(error.name).toBe('IsoTemplateError');
    });
  });

  it('accepts the largest minutiae count the template allows', () => {
    // Act
    const decoded = decodeIsoTemplate(recordWithMinutiae(200));

    // Assess
    expect(decoded.template.minutiae).toHaveLength(200);
  });

  it('decodes a sub-array view at a non-zero offset of a larger buffer', () => {
    // Prepare
    const backing = new Uint8Array(100);
    backing.set(hex(GOLDEN_HEX), 7);

    // Act
    const decoded = decodeIsoTemplate(backing.subarray(7, 49));

    // Assess
    expect(decoded.template.minutiae).toHaveLength(2);
  });
});

describe('encodeIsoTemplate input checks', () => {
  it.each<{ name: string; template: MinutiaeTemplate; options: object; message: RegExp }>([
    {
      name: 'minutia outside the image',
      template: { ...GOLDEN_TEMPLATE, width: 300 },
      options: {},
      message: /minutiae\.1\.x/,
    },
    {
      name: 'resolution outside 250-1000 ppi',
      template: { ...GOLDEN_TEMPLATE, resolutionPpi: 200 },
      options: {},
      message: /resolutionPpi/,
    },
    {
      name: 'finger position 11',
      template: GOLDEN_TEMPLATE,
      options: { fingerPosition: 11 },
      message: /fingerPosition/,
    },
    {
      name: 'impression type 16',
      template: GOLDEN_TEMPLATE,
      options: { impressionType: 16 },
      message: /impressionType/,
    },
    { name: 'quality 101', template: GOLDEN_TEMPLATE, options: { quality: 101 }, message: /quality/ },
    { name: 'fractional quality', template: GOLDEN_TEMPLATE, options: { quality: 50.5 }, message: /quality/ },
  ])('refuses $name', ({ template, options, message }) => {
    // Act
    const error = expectIsoError(() => encodeIsoTemplate(template, options), 'out-of-range');

    // Assess
    expect(error.message).toMatch(message);
  });
});

describe('base64 wrappers', () => {
  it('round-trips through standard padded base64', () => {
    // Act
    const text = encodeIsoTemplateBase64(GOLDEN_TEMPLATE, { fingerPosition: 2, impressionType: 1, quality: 60 });
    const decoded = decodeIsoTemplateBase64(text);

    // Assess
    expect(text).toBe(Buffer.from(hex(GOLDEN_HEX)).toString('base64'));
    expect(text).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(decoded.template).toEqual(decodeIsoTemplate(hex(GOLDEN_HEX)).template);
  });

  const valid = Buffer.from(hex(GOLDEN_HEX)).toString('base64');

  it.each<{ name: string; text: string; code: IsoTemplateErrorCode; message: RegExp }>([
    { name: 'empty', text: '', code: 'bad-base64', message: /empty/ },
    { name: 'not base64', text: 'not base64!', code: 'bad-base64', message: /position 3 is whitespace/ },
    {
      name: 'a foreign character',
      text: `${valid.slice(0, 8)}*${valid.slice(9)}`,
      code: 'bad-base64',
      message: /position 8/,
    },
    { name: 'base64url', text: '-_-_', code: 'bad-base64', message: /base64url/ },
    {
      name: 'line breaks (MIME style)',
      text: `${valid.slice(0, 20)}\n${valid.slice(20)}`,
      code: 'bad-base64',
      message: /whitespace/,
    },
    { name: 'missing padding', text: 'QUI', code: 'bad-base64', message: /multiple of 4/ },
    { name: 'misplaced padding', text: 'QQ==QUJD', code: 'bad-base64', message: /padding/ },
    { name: 'non-canonical last character', text: 'QR==', code: 'bad-base64', message: /canonical/ },
    { name: 'too long', text: 'A'.repeat(ISO_MAX_BASE64_CHARS + 4), code: 'too-large', message: /characters/ },
    {
      name: 'valid base64 of something else',
      text: Buffer.from('hello world!').toString('base64'),
      code: 'bad-magic',
      message: /FMR/,
    },
  ])('refuses $name', ({ text, code, message }) => {
    // Act
    const error = expectIsoError(() => decodeIsoTemplateBase64(text), code);

    // Assess
    expect(error.message).toMatch(message);
  });
});
