import { z } from 'zod';
import { TemplateInputSchema } from '../biometrics/template-input';
import { FingerPositionSchema } from './template';

/** Client-generated idempotency key: a UUID or any other opaque id of safe characters. */
export const SubmissionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/, 'must be 8-64 letters, digits, "-" or "_"');

/** ORI (EBTS 1.008): 9 characters, the first two the state's postal code. */
export const OriSchema = z
  .string()
  .regex(/^[A-Z]{2}[A-Z0-9]{7}$/, 'must be 9 characters: a 2-letter state code and 7 letters or digits');

/** NCIC offense code (4 digits, ncic:OFFCodeType). */
export const NcicCodeSchema = z.string().regex(/^\d{4}$/, 'must be a 4-digit NCIC offense code');

export const OffenseGradeSchema = z.enum(['felony', 'misdemeanor']);
export type OffenseGrade = z.infer<typeof OffenseGradeSchema>;

export const ChargeSchema = z.strictObject({
  statute: z.string().min(1).max(100),
  literal: z.string().min(1).max(200),
  ncicCode: NcicCodeSchema,
  grade: OffenseGradeSchema,
  /** Maximum sentence the offense carries, in days: levels turn on "punishable by more than one year". */
  maxSentenceDays: z
    .number()
    .int()
    .min(0)
    .max(365 * 200),
  disposition: z.enum(['charged', 'convicted']),
});
export type Charge = z.infer<typeof ChargeSchema>;

const NameSchema = z.strictObject({
  last: z.string().min(1).max(100),
  first: z.string().min(1).max(100),
  middle: z.string().max(100).optional(),
});

export const SexSchema = z.enum(['M', 'F', 'X']);

/** ISO 3166-1 alpha-2 country code. */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');

export const BookingSubjectSchema = z.strictObject({
  name: NameSchema,
  dateOfBirth: z.iso.date(),
  sex: SexSchema,
  placeOfBirth: CountryCodeSchema,
  claimedCitizenship: CountryCodeSchema,
});
export type BookingSubject = z.infer<typeof BookingSubjectSchema>;

export const ImpressionTypeSchema = z.enum(['rolled', 'plain']);

/**
 * A finger that was printed. Its template comes as the JSON template or as an ISO/IEC 19794-2
 * record in base64 (`{ "format": "iso-19794-2", "data": "..." }`); either way it is a
 * MinutiaeTemplate once parsed.
 */
export const CapturedFingerSchema = z.strictObject({
  position: FingerPositionSchema,
  status: z.literal('captured'),
  impressionType: ImpressionTypeSchema,
  template: TemplateInputSchema,
});

/** A finger that could not be printed is named, not faked (EBTS amputation / unable-to-print codes). */
export const MissingFingerSchema = z.strictObject({
  position: FingerPositionSchema,
  status: z.enum(['amputated', 'bandaged', 'unprintable']),
});

export const BookingFingerSchema = z.discriminatedUnion('status', [CapturedFingerSchema, MissingFingerSchema]);
export type BookingFinger = z.infer<typeof BookingFingerSchema>;
export type CapturedFinger = z.infer<typeof CapturedFingerSchema>;

export const BOOKING_LIMITS = {
  maxCharges: 20,
  maxFingers: 10,
} as const;

export const BookingSubmissionSchema = z.strictObject({
  submissionId: SubmissionIdSchema,
  ori: OriSchema,
  /** OCA (EBTS 2.009): the jail's booking number. */
  bookingNumber: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'must be 1-20 letters, digits or "-"'),
  bookedAt: z.iso.datetime({ offset: true }),
  subject: BookingSubjectSchema,
  charges: z.array(ChargeSchema).min(1).max(BOOKING_LIMITS.maxCharges),
  fingers: z
    .array(BookingFingerSchema)
    .min(1)
    .max(BOOKING_LIMITS.maxFingers)
    .superRefine((fingers, ctx) => {
      const seen = new Set<number>();
      fingers.forEach((finger, i) => {
        if (seen.has(finger.position)) {
          ctx.addIssue({ code: 'custom', path: [i, 'position'], message: 'finger position appears twice' });
        }
        seen.add(finger.position);
      });
      if (!fingers.some((finger) => finger.status === 'captured')) {
        ctx.addIssue({ code: 'custom', path: [], message: 'at least one finger must be captured' });
      }
    }),
});
export type BookingSubmission = z.infer<typeof BookingSubmissionSchema>;

/**
 * What the decision needs from a booking: no biographics and no fingerprints, so that match results
 * stored for re-review carry no biometric data.
 */
export const BookingCaseSchema = BookingSubmissionSchema.pick({
  submissionId: true,
  ori: true,
  bookingNumber: true,
  bookedAt: true,
  charges: true,
});
export type BookingCase = z.infer<typeof BookingCaseSchema>;
