import * as z from '#core/zod';
import { OriSchema, SubmissionIdSchema } from './booking';
import { SubjectIdSchema } from './identity';
import { MatchOutcomeSchema } from './match-result';

export const RecordTypeSchema = z.enum(['detainer', 'discretion-review', 'biometric-verification', 'no-action']);
export type RecordType = z.infer<typeof RecordTypeSchema>;

export const OffenseLevelSchema = z.enum(['L1', 'L2', 'L3']);
export type OffenseLevel = z.infer<typeof OffenseLevelSchema>;

export const RuleFiredSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
});
export type RuleFired = z.infer<typeof RuleFiredSchema>;

/** What every record carries, whatever its type. */
const RecordBaseShape = {
  submissionId: SubmissionIdSchema,
  /** Records are immutable; a new decision on the same booking is a new version. */
  version: z.number().check(z.int(), z.gte(1)),
  status: z.enum(['active', 'superseded']),
  ori: OriSchema,
  bookingNumber: z.string(),
  bookedAt: z.iso.datetime({ offset: true }),
  decidedAt: z.iso.datetime({ offset: true }),
  policy: z.strictObject({ id: z.string(), version: z.string() }),
  match: z.strictObject({
    outcome: MatchOutcomeSchema,
    score: z.number().check(z.gte(0)),
    subjectId: z.nullable(SubjectIdSchema),
  }),
  rulesFired: z.array(RuleFiredSchema).check(z.minLength(1)),
  reasons: z.array(z.string()).check(z.minLength(1)),
  /** sha256 of the canonical JSON of the decision's inputs (match result + policy id and version). */
  inputHash: z.string().check(z.regex(/^[a-f0-9]{64}$/)),
};

export const DetainerRecordSchema = z.strictObject({
  ...RecordBaseShape,
  type: z.literal('detainer'),
  level: z.nullable(OffenseLevelSchema),
  form: z.strictObject({ id: z.enum(['I-247', 'I-247D', 'I-247N', 'I-247A']), version: z.string() }),
  basis: z.array(z.string()).check(z.minLength(1)),
  hold: z.strictObject({
    /** False for a notification request (I-247N), which asks for no hold. */
    requested: z.boolean(),
    limitHours: z.number().check(z.int(), z.gte(0)),
    excludesWeekendsAndHolidays: z.boolean(),
    /** Latest time the jail may hold the subject past release, computed from bookedAt. */
    deadline: z.nullable(z.iso.datetime({ offset: true })),
  }),
  languages: z.array(z.string()).check(z.minLength(1)),
  issuingAgency: z.string(),
  receivingAgencyOri: OriSchema,
});

export const DiscretionReviewRecordSchema = z.strictObject({
  ...RecordBaseShape,
  type: z.literal('discretion-review'),
  level: z.nullable(OffenseLevelSchema),
  priority: z.enum(['high', 'normal', 'low']),
  positiveFactors: z.array(z.string()),
  negativeFactors: z.array(z.string()),
  reason: z.string(),
  reviewDueDate: z.iso.date(),
});

export const BiometricVerificationRecordSchema = z.strictObject({
  ...RecordBaseShape,
  type: z.literal('biometric-verification'),
  candidates: z.array(z.strictObject({ subjectId: SubjectIdSchema, score: z.number().check(z.gte(0)) })),
  reason: z.string(),
});

export const NoActionRecordSchema = z.strictObject({
  ...RecordBaseShape,
  type: z.literal('no-action'),
  reason: z.enum(['no-match', 'citizen', 'lawful-status', 'not-removable']),
});

export const OutcomeRecordSchema = z.discriminatedUnion('type', [
  DetainerRecordSchema,
  DiscretionReviewRecordSchema,
  BiometricVerificationRecordSchema,
  NoActionRecordSchema,
]);
export type OutcomeRecord = z.infer<typeof OutcomeRecordSchema>;
export type DetainerRecord = z.infer<typeof DetainerRecordSchema>;
export type DiscretionReviewRecord = z.infer<typeof DiscretionReviewRecordSchema>;
export type BiometricVerificationRecord = z.infer<typeof BiometricVerificationRecordSchema>;
export type NoActionRecord = z.infer<typeof NoActionRecordSchema>;

/**
 * A request on the decisions queue to decide a stored case again under another policy (sc-pipeline
 * review). The decide function reads the case the first decision stored and writes a new version.
 */
export const ReviewRequestSchema = z.strictObject({
  kind: z.literal('review'),
  submissionId: SubmissionIdSchema,
  policyId: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  /** Groups the requests of one review run. */
  reviewId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;
