import * as z from '#core/zod';
import { BookingCaseSchema } from './booking';
import { IdentityRecordSchema, SubjectIdSchema } from './identity';
import { FingerPositionSchema } from './template';

export const MatchOutcomeSchema = z.enum(['match', 'inconclusive', 'no-match']);
export type MatchOutcome = z.infer<typeof MatchOutcomeSchema>;

export const CandidateSchema = z.strictObject({
  subjectId: SubjectIdSchema,
  /** Fused tenprint score. */
  score: z.number().check(z.gte(0)),
  fingerScores: z.array(z.strictObject({ position: FingerPositionSchema, score: z.number().check(z.gte(0)) })),
});
export type Candidate = z.infer<typeof CandidateSchema>;

export const MatcherInfoSchema = z.strictObject({
  algorithm: z.string(),
  version: z.string(),
  thresholds: z.strictObject({ match: z.number(), inconclusive: z.number() }),
});

export const SearchStatsSchema = z.strictObject({
  indexKeysQueried: z.number().check(z.int(), z.gte(0)),
  candidatesRetrieved: z.number().check(z.int(), z.gte(0)),
  candidatesVerified: z.number().check(z.int(), z.gte(0)),
  verificationRounds: z.number().check(z.int(), z.gte(0)),
  /** Finger comparisons over all candidates; absent from results matched before the cascade counted them. */
  fingersCompared: z.optional(z.number().check(z.int(), z.gte(0))),
  latencyMs: z.number().check(z.gte(0)),
});

/**
 * The biometric search's answer for one booking: what the decision step (and a later re-review
 * under another policy) needs, and nothing biometric.
 */
export const MatchResultSchema = z.strictObject({
  booking: BookingCaseSchema,
  outcome: MatchOutcomeSchema,
  /** Best candidates, best first; at most a handful, for an examiner. */
  candidates: z.array(CandidateSchema).check(z.maxLength(10)),
  /** The matched identity's record when outcome is "match"; null otherwise. */
  identity: z.nullable(IdentityRecordSchema),
  matcher: MatcherInfoSchema,
  search: SearchStatsSchema,
  matchedAt: z.iso.datetime({ offset: true }),
});
export type MatchResult = z.infer<typeof MatchResultSchema>;
