import * as z from '#core/zod';

/** Finger positions as numbered in ANSI/NIST-ITL: 1-5 right thumb..little, 6-10 left thumb..little. */
export const FingerPositionSchema = z.number().check(z.int(), z.gte(1), z.lte(10));
export type FingerPosition = z.infer<typeof FingerPositionSchema>;

export const MinutiaTypeSchema = z.enum(['ending', 'bifurcation', 'other']);
export type MinutiaType = z.infer<typeof MinutiaTypeSchema>;

/**
 * Limits of one finger template (JSON or ISO/IEC 19794-2), enforced by the schemas below and by the
 * ISO decoder: they keep one booking well under the SQS message size and a matcher's cost bounded.
 * docs/limits.md gives the reason for each value.
 */
export const TEMPLATE_LIMITS = {
  /** Minutiae per finger (an ISO record's count byte allows 255). */
  maxMinutiae: 200,
  /** Image width and height, in pixels; minutia coordinates lie inside the image. */
  maxImagePx: 2000,
  /** Scan resolution, pixels per inch. */
  minResolutionPpi: 250,
  maxResolutionPpi: 1000,
} as const;

/**
 * One minutia, ISO/IEC 19794-2 style. Origin top-left; angle in degrees, counter-clockwise from the
 * x axis, in [0, 360).
 */
export const MinutiaSchema = z.strictObject({
  x: z.number().check(z.int(), z.gte(0), z.lte(TEMPLATE_LIMITS.maxImagePx)),
  y: z.number().check(z.int(), z.gte(0), z.lte(TEMPLATE_LIMITS.maxImagePx)),
  angle: z.number().check(z.gte(0), z.lt(360)),
  type: MinutiaTypeSchema,
  quality: z.number().check(z.int(), z.gte(0), z.lte(100)),
});
export type Minutia = z.infer<typeof MinutiaSchema>;

export const MinutiaeTemplateSchema = z
  .strictObject({
    width: z.number().check(z.int(), z.gte(1), z.lte(TEMPLATE_LIMITS.maxImagePx)),
    height: z.number().check(z.int(), z.gte(1), z.lte(TEMPLATE_LIMITS.maxImagePx)),
    resolutionPpi: z
      .number()
      .check(z.int(), z.gte(TEMPLATE_LIMITS.minResolutionPpi), z.lte(TEMPLATE_LIMITS.maxResolutionPpi)),
    minutiae: z.array(MinutiaSchema).check(z.maxLength(TEMPLATE_LIMITS.maxMinutiae)),
  })
  .check(
    z.superRefine((template, ctx) => {
      template.minutiae.forEach((m, i) => {
        if (m.x >= template.width) {
          ctx.addIssue({ code: 'custom', path: ['minutiae', i, 'x'], message: 'x is outside the image width' });
        }
        if (m.y >= template.height) {
          ctx.addIssue({ code: 'custom', path: ['minutiae', i, 'y'], message: 'y is outside the image height' });
        }
      });
    }),
  );
export type MinutiaeTemplate = z.infer<typeof MinutiaeTemplateSchema>;
