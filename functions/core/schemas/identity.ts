import * as z from '#core/zod';
import { CountryCodeSchema, NcicCodeSchema, OffenseGradeSchema, SexSchema } from './booking';
import { TemplateInputSchema } from '#core/biometrics/template-input';
import { FingerPositionSchema } from './template';

/**
 * Immigration status as the mock IAR reports it. No official list exists; this one is built from
 * the I-247 bases (docs/domain.md §1).
 */
export const ImmigrationStatusSchema = z.enum([
  'usc',
  'lpr',
  'nonimmigrant-in-status',
  'overstay',
  'ewi',
  'final-order',
  'previously-removed',
  'proceedings-pending',
  'humanitarian-deferred',
  'undetermined',
]);
export type ImmigrationStatus = z.infer<typeof ImmigrationStatusSchema>;

/** IDENT FIN: the subject id of the biometric gallery. */
export const SubjectIdSchema = z.string().check(z.regex(/^FIN\d{10}$/, 'must be "FIN" and 10 digits'));

export const ConvictionSchema = z.strictObject({
  ncicCode: NcicCodeSchema,
  literal: z.string().check(z.minLength(1), z.maxLength(200)),
  grade: OffenseGradeSchema,
  /** Maximum sentence the offense carried, in days. */
  maxSentenceDays: z.number().check(z.int(), z.gte(0)),
  /** Sentence imposed, in days. */
  sentenceDays: z.number().check(z.int(), z.gte(0)),
  date: z.iso.date(),
});
export type Conviction = z.infer<typeof ConvictionSchema>;

export const EncounterSchema = z.strictObject({
  date: z.iso.date(),
  place: z.string().check(z.minLength(1), z.maxLength(100)),
  type: z.enum(['port-of-entry', 'border-apprehension', 'interior-arrest', 'benefit-application', 'removal']),
});

export const RemovalOrderSchema = z.strictObject({
  date: z.iso.date(),
  type: z.enum(['final', 'reinstated', 'expedited']),
});

export const ImmigrationRecordSchema = z.strictObject({
  status: ImmigrationStatusSchema,
  aNumber: z.optional(z.string().check(z.regex(/^A\d{9}$/, 'must be "A" and 9 digits'))),
  encounters: z.array(EncounterSchema),
  removalOrders: z.array(RemovalOrderSchema),
});
export type ImmigrationRecord = z.infer<typeof ImmigrationRecordSchema>;

export const CriminalHistorySchema = z.strictObject({
  convictions: z.array(ConvictionSchema),
});
export type CriminalHistory = z.infer<typeof CriminalHistorySchema>;

export const IdentityBiographicsSchema = z.strictObject({
  name: z.strictObject({ last: z.string().check(z.minLength(1)), first: z.string().check(z.minLength(1)) }),
  dateOfBirth: z.iso.date(),
  sex: SexSchema,
  placeOfBirth: CountryCodeSchema,
});

/** The part of a gallery identity that a decision reads: no biographics, no templates. */
export const IdentityRecordSchema = z.strictObject({
  subjectId: SubjectIdSchema,
  immigration: ImmigrationRecordSchema,
  criminalHistory: CriminalHistorySchema,
});
export type IdentityRecord = z.infer<typeof IdentityRecordSchema>;

/** An enrolled finger; its template as JSON or as a base64 ISO/IEC 19794-2 record (see booking.ts). */
export const EnrolledFingerSchema = z.strictObject({
  position: FingerPositionSchema,
  template: TemplateInputSchema,
});
export type EnrolledFinger = z.infer<typeof EnrolledFingerSchema>;

/** A gallery identity as enrolled: the record, biographics and one template per printable finger. */
export const GalleryIdentitySchema = z.extend(IdentityRecordSchema, {
  biographics: IdentityBiographicsSchema,
  fingers: z.array(EnrolledFingerSchema).check(z.maxLength(10)),
});
export type GalleryIdentity = z.infer<typeof GalleryIdentitySchema>;
