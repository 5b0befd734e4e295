import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { encodeIsoTemplate, encodeIsoTemplateBase64 } from '#core/biometrics/iso-19794-2';
import { parseTemplateInput, TemplateInputSchema, type TemplateInput } from '#core/biometrics/template-input';
import type { MinutiaeTemplate } from '#core/schemas';

const TEMPLATE: MinutiaeTemplate = {
  width: 400,
  height: 500,
  resolutionPpi: 500,
  minutiae: [
    { x: 100, y: 200, angle: 90, type: 'ending', quality: 80 },
    { x: 399, y: 499, angle: 45, type: 'other', quality: 0 },
  ],
};

/** Two finger views of the same record: the single-view record with its view repeated. */
function twoViewBase64(): string {
  const one = encodeIsoTemplate(TEMPLATE);
  const viewBytes = one.subarray(24);
  const two = new Uint8Array(one.length + viewBytes.length);
  two.set(one);
  two.set(viewBytes, one.length);
  const view = new DataView(two.buffer);
  view.setUint32(8, two.length);
  two[22] = 2;
  return Buffer.from(two).toString('base64');
}

describe('TemplateInputSchema', () => {
  it('accepts the JSON template shape unchanged', () => {
    // Act
    const result = TemplateInputSchema.safeParse(TEMPLATE);

    // Assess
    expect(result.success && result.data).toEqual(TEMPLATE);
  });

  it('accepts an ISO/IEC 19794-2 record in base64 and gives the decoded template', () => {
    // Prepare
    const input: TemplateInput = { format: 'iso-19794-2', data: encodeIsoTemplateBase64(TEMPLATE) };

    // Act
    const result = TemplateInputSchema.safeParse(input);

    // Assess
    expect(result.success && result.data).toEqual(TEMPLATE);
  });

  describe.each<{ name: string; input: unknown; path: (string | number)[]; message: RegExp }>([
    {
      name: 'bad base64',
      input: { format: 'iso-19794-2', data: 'this is not base64' },
      path: ['data'],
      message: /base64/,
    },
    {
      name: 'empty data',
      input: { format: 'iso-19794-2', data: '' },
      path: ['data'],
      message: /not empty/,
    },
    {
      name: 'base64 of something that is not a record',
      input: { format: 'iso-19794-2', data: Buffer.from('GIF89a, not a fingerprint').toString('base64') },
      path: ['data'],
      message: /bad-magic/,
    },
    {
      name: 'a truncated record',
      input: {
        format: 'iso-19794-2',
        data: Buffer.from(encodeIsoTemplate(TEMPLATE).subarray(0, 30)).toString('base64'),
      },
      path: ['data'],
      message: /truncated/,
    },
    {
      name: 'a record with two finger views',
      input: { format: 'iso-19794-2', data: twoViewBase64() },
      path: ['data'],
      message: /2 finger views/,
    },
    {
      name: 'data that is not a string',
      input: { format: 'iso-19794-2', data: 42 },
      path: ['data'],
      message: /string/,
    },
    {
      name: 'an unknown format',
      input: { format: 'ansi-nist-type-9', data: encodeIsoTemplateBase64(TEMPLATE) },
      path: ['format'],
      message: /iso-19794-2/,
    },
    {
      name: 'an extra key next to format and data',
      input: { format: 'iso-19794-2', data: encodeIsoTemplateBase64(TEMPLATE), width: 400 },
      path: [],
      message: /width/,
    },
    {
      name: 'a JSON template with a minutia outside the image',
      input: { ...TEMPLATE, width: 300 },
      path: ['minutiae', 1, 'x'],
      message: /outside the image width/,
    },
    {
      name: 'neither shape',
      input: 'FMR',
      path: [],
      message: /iso-19794-2/,
    },
    { name: 'an array', input: [TEMPLATE], path: [], message: /minutiae template object/ },
  ])('on $name', ({ input, path, message }) => {
    it('fails with an issue on the field at fault', () => {
      // Act
      const result = TemplateInputSchema.safeParse(input);

      // Assess
      expect(result.success).toBe(false);
      const issue = result.error?.issues[0];
      expect(issue?.path).toEqual(path);
      expect(issue?.message).toMatch(message);
    });
  });

  it('reports the field path when nested in a larger schema', () => {
    // Prepare
    const Finger = z.object({ position: z.number(), template: TemplateInputSchema });

    // Act
    const result = Finger.safeParse({ position: 2, template: { format: 'iso-19794-2', data: '%%%' } });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['template', 'data']]);
  });

  it('puts the decoder error code in the issue params', () => {
    // Act
    const result = TemplateInputSchema.safeParse({ format: 'iso-19794-2', data: 'QR==' });

    // Assess
    const issue = result.error?.issues[0];
    expect(issue?.code).toBe('custom');
    expect(issue && 'params' in issue ? issue.params : undefined).toEqual({ isoErrorCode: 'bad-base64' });
  });
});

describe('parseTemplateInput', () => {
  it('returns the template for either shape', () => {
    // Act
    const fromJson = parseTemplateInput(TEMPLATE);
    const fromIso = parseTemplateInput({ format: 'iso-19794-2', data: encodeIsoTemplateBase64(TEMPLATE) });

    // Assess
    expect(fromJson).toEqual(TEMPLATE);
    expect(fromIso).toEqual(TEMPLATE);
  });

  it('throws a readable Error naming the field', () => {
    // Act
    const act = () => parseTemplateInput({ format: 'iso-19794-2', data: 'not base64!' });

    // Assess
    expect(act).toThrow(Error);
    expect(act).toThrow(/^invalid template: data: not a usable ISO\/IEC 19794-2 record \(bad-base64\)/);
  });
});
