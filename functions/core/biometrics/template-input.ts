import * as z from '#core/zod';
import { MinutiaeTemplateSchema, type MinutiaeTemplate } from '#core/schemas/template';
import { decodeIsoTemplateBase64, IsoTemplateError, ISO_MAX_BASE64_CHARS } from './iso-19794-2';

/** The `format` value of a template sent as an ISO/IEC 19794-2:2005 record. */
export const ISO_19794_2_FORMAT = 'iso-19794-2';

/**
 * `{ "format": "iso-19794-2", "data": "<base64>" }`: one finger's minutiae as an ISO/IEC 19794-2:2005
 * record (ANSI/INCITS 378-2004 is read too), strict base64, decoded to a MinutiaeTemplate. A record
 * must hold exactly one finger view: with several we could not tell which finger the caller meant.
 * A decoding failure is an issue on the `data` path whose message says what is wrong with the
 * record; `params.isoErrorCode` carries the {@link IsoTemplateError} code.
 */
export const IsoTemplateInputSchema = z.pipe(
  z.strictObject({
    format: z.literal(ISO_19794_2_FORMAT),
    data: z.pipe(
      z
        .string()
        .check(
          z.minLength(1, 'must be a base64 ISO/IEC 19794-2 record, not empty'),
          z.maxLength(ISO_MAX_BASE64_CHARS, `must be at most ${ISO_MAX_BASE64_CHARS} base64 characters`),
        ),
      // zod/mini's transform context has no addIssue: an issue is pushed as classic zod's addIssue
      // would push it (code, message, params, then the input), so the issue comes out the same.
      z.transform((data: string, ctx): MinutiaeTemplate => {
        try {
          const decoded = decodeIsoTemplateBase64(data);
          if (decoded.viewCount !== 1) {
            ctx.issues.push({
              code: 'custom',
              message: `ISO/IEC 19794-2 record holds ${decoded.viewCount} finger views; send one finger view per template`,
              params: { isoErrorCode: 'count-mismatch' },
              input: data,
            });
            return z.NEVER;
          }
          return decoded.template;
        } catch (error) {
          if (!(error instanceof IsoTemplateError)) throw error;
          ctx.issues.push({
            code: 'custom',
            message: `not a usable ISO/IEC 19794-2 record (${error.code}): ${error.message}`,
            params: { isoErrorCode: error.code },
            input: data,
          });
          return z.NEVER;
        }
      }),
    ),
  }),
  z.transform((input: { format: typeof ISO_19794_2_FORMAT; data: MinutiaeTemplate }) => input.data),
);

type TemplateInputShape = z.input<typeof MinutiaeTemplateSchema> | z.input<typeof IsoTemplateInputSchema>;

/**
 * A finger template as an API accepts it: EITHER the JSON template (MinutiaeTemplateSchema) OR an
 * ISO record (`{ "format": "iso-19794-2", "data": "<base64>" }`, see {@link IsoTemplateInputSchema}),
 * both giving a MinutiaeTemplate. An object with a `format` key is read as the ISO shape, any other
 * object as the JSON template, so issues point at the real field (`data`, `format`, `minutiae.3.x`)
 * instead of a bare "invalid union". Standalone: not yet part of the booking schema.
 */
export const TemplateInputSchema = z.pipe(
  z.custom<TemplateInputShape>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    message: `must be a minutiae template object or { "format": "${ISO_19794_2_FORMAT}", "data": "<base64>" }`,
  }),
  z.transform((value: TemplateInputShape, ctx): MinutiaeTemplate => {
    const result = ('format' in value ? IsoTemplateInputSchema : MinutiaeTemplateSchema).safeParse(value);
    if (result.success) return result.data;
    // Issue kinds differ in their input's type; any of them may pass through here unchanged.
    for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
    return z.NEVER;
  }),
);

export type TemplateInput = z.input<typeof TemplateInputSchema>;

/** Parses a template in either accepted shape; throws an Error listing each problem with its field path. */
export function parseTemplateInput(value: unknown): MinutiaeTemplate {
  const result = TemplateInputSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new Error(`invalid template: ${problems.join('; ')}`, { cause: result.error });
}
