import * as z from '#core/zod';
import { TemplateInputSchema } from '#core/biometrics/template-input';
import { FingerPositionSchema } from './template';

/**
 * Limits of one booking, each enforced by the schemas below; docs/limits.md lists them with the
 * reason for each value. Together with the body limit (API_LIMITS) they bound what one booking can
 * make validation, the queue and the matcher carry; string lengths are in UTF-16 code units.
 */
export const BOOKING_LIMITS = {
  /** Charges per booking. */
  maxCharges: 20,
  /** Fingers per booking: a tenprint. */
  maxFingers: 10,
  /** Each name part (last, first, middle), in UTF-16 code units. */
  maxNameChars: 100,
  /** A charge's statute citation. */
  maxStatuteChars: 100,
  /** A charge's literal (the offense as written). */
  maxChargeLiteralChars: 200,
  /** submissionId, at least 8. */
  maxSubmissionIdChars: 64,
  /** bookingNumber (OCA). */
  maxBookingNumberChars: 20,
  /** bookedAt: ISO 8601 with offset and at most nanoseconds, e.g. 2011-05-02T08:00:00.123456789+05:30. */
  maxDateTimeChars: 35,
  /** The maximum sentence of a charge, in days (200 years). */
  maxSentenceDays: 365 * 200,
} as const;

/**
 * Characters no free-text field may hold: controls (C0, DEL, C1), unpaired surrogates and
 * noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, ...). SQS refuses a message holding U+FFFE or
 * U+FFFF, so a booking with one could never be enqueued; the rest have no place in a name or a charge.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/**
 * Free text (a name part, a statute, a charge literal) of `min` to `max` UTF-16 code units without
 * {@link UNPRINTABLE} characters. The character check is a refinement, so the JSON Schema keeps
 * only the lengths.
 */
function freeText(min: number, max: number) {
  const lengths = min > 0 ? z.string().check(z.minLength(min), z.maxLength(max)) : z.string().check(z.maxLength(max));
  return lengths.check(
    z.refine((value) => !UNPRINTABLE.test(value), {
      message: 'must not contain control characters, unpaired surrogates or noncharacters',
    }),
  );
}

/** Client-generated idempotency key: a UUID or any other opaque id of safe characters. */
export const SubmissionIdSchema = z
  .string()
  .check(
    z.regex(
      new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{7,${BOOKING_LIMITS.maxSubmissionIdChars - 1}}$`),
      `must be 8-${BOOKING_LIMITS.maxSubmissionIdChars} letters, digits, "-" or "_"`,
    ),
  );

/** ORI (EBTS 1.008): 9 characters, the first two the state's postal code. */
export const OriSchema = z
  .string()
  .check(z.regex(/^[A-Z]{2}[A-Z0-9]{7}$/, 'must be 9 characters: a 2-letter state code and 7 letters or digits'));

/** NCIC offense code (4 digits, ncic:OFFCodeType). */
export const NcicCodeSchema = z.string().check(z.regex(/^\d{4}$/, 'must be a 4-digit NCIC offense code'));

export const OffenseGradeSchema = z.enum(['felony', 'misdemeanor']);
export type OffenseGrade = z.infer<typeof OffenseGradeSchema>;

export const ChargeSchema = z.strictObject({
  statute: freeText(1, BOOKING_LIMITS.maxStatuteChars),
  literal: freeText(1, BOOKING_LIMITS.maxChargeLiteralChars),
  ncicCode: NcicCodeSchema,
  grade: OffenseGradeSchema,
  /** Maximum sentence the offense carries, in days: levels turn on "punishable by more than one year". */
  maxSentenceDays: z.number().check(z.int(), z.gte(0), z.lte(BOOKING_LIMITS.maxSentenceDays)),
  disposition: z.enum(['charged', 'convicted']),
});
export type Charge = z.infer<typeof ChargeSchema>;

const NameSchema = z.strictObject({
  last: freeText(1, BOOKING_LIMITS.maxNameChars),
  first: freeText(1, BOOKING_LIMITS.maxNameChars),
  middle: z.optional(freeText(0, BOOKING_LIMITS.maxNameChars)),
});

export const SexSchema = z.enum(['M', 'F', 'X']);

/** ISO 3166-1 alpha-2 country code. */
export const CountryCodeSchema = z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'));

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

export const BookingSubmissionSchema = z.strictObject({
  submissionId: SubmissionIdSchema,
  ori: OriSchema,
  /** OCA (EBTS 2.009): the jail's booking number. */
  bookingNumber: z
    .string()
    .check(
      z.regex(
        new RegExp(`^[A-Za-z0-9-]{1,${BOOKING_LIMITS.maxBookingNumberChars}}$`),
        `must be 1-${BOOKING_LIMITS.maxBookingNumberChars} letters, digits or "-"`,
      ),
    ),
  /** ISO 8601 with an offset; the pattern allows any number of fraction digits, the length check does not. */
  bookedAt: z.iso.datetime({ offset: true }).check(
    z.refine((value) => value.length <= BOOKING_LIMITS.maxDateTimeChars, {
      message: `must be at most ${BOOKING_LIMITS.maxDateTimeChars} characters (fractions of a second to 9 digits)`,
    }),
  ),
  subject: BookingSubjectSchema,
  charges: z.array(ChargeSchema).check(z.minLength(1), z.maxLength(BOOKING_LIMITS.maxCharges)),
  fingers: z.array(BookingFingerSchema).check(
    z.minLength(1),
    z.maxLength(BOOKING_LIMITS.maxFingers),
    z.superRefine((fingers, ctx) => {
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
  ),
});
export type BookingSubmission = z.infer<typeof BookingSubmissionSchema>;

/**
 * What the decision needs from a booking: no biographics and no fingerprints, so that match results
 * stored for re-review carry no biometric data.
 */
export const BookingCaseSchema = z.pick(BookingSubmissionSchema, {
  submissionId: true,
  ori: true,
  bookingNumber: true,
  bookedAt: true,
  charges: true,
});
export type BookingCase = z.infer<typeof BookingCaseSchema>;
