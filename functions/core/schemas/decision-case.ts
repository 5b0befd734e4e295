import * as z from '#core/zod';
import { BookingSubmissionSchema, type BookingCase, type BookingSubmission } from './booking';
import { GalleryIdentitySchema, type IdentityRecord } from './identity';
import { MatchResultSchema, type MatchResult } from './match-result';

/**
 * One case as `sc-pipeline decide` reads it: the booking, the biometric search's match result, and
 * the matched gallery identity (the IdentityRecord, or a whole gallery identity whose biographics and
 * fingers are ignored), or null. The decision reads the booking's charges and date and the identity's
 * status, history and removal orders; nothing identifying reaches the record.
 */
export const DecisionCaseSchema = z
  .strictObject({
    booking: BookingSubmissionSchema,
    match: MatchResultSchema,
    identity: z.nullable(z.partial(GalleryIdentitySchema, { biographics: true, fingers: true })),
  })
  .check(
    z.superRefine((value, ctx) => {
      if (value.match.booking.submissionId !== value.booking.submissionId) {
        ctx.addIssue({
          code: 'custom',
          path: ['match', 'booking', 'submissionId'],
          message: 'must be the submissionId of the booking',
        });
      }
      if (value.match.outcome === 'match' && value.identity === null) {
        ctx.addIssue({ code: 'custom', path: ['identity'], message: 'a match needs the matched identity' });
      }
      const matched = value.match.identity?.subjectId;
      if (value.identity !== null && matched !== undefined && matched !== value.identity.subjectId) {
        ctx.addIssue({
          code: 'custom',
          path: ['identity', 'subjectId'],
          message: 'must be the subjectId of the match result’s identity',
        });
      }
    }),
  );
export type DecisionCase = z.infer<typeof DecisionCaseSchema>;

/** What the decision needs from a booking: the BookingCase part (no biographics, no fingerprints). */
export function bookingCaseOf(booking: BookingSubmission): BookingCase {
  const { submissionId, ori, bookingNumber, bookedAt, charges } = booking;
  return { submissionId, ori, bookingNumber, bookedAt, charges };
}

/** The match result a case is decided on: the case's booking and identity take the place of the copies in the match. */
export function matchOfCase(decisionCase: DecisionCase): MatchResult {
  const identity: IdentityRecord | null =
    decisionCase.match.outcome === 'match' && decisionCase.identity
      ? {
          subjectId: decisionCase.identity.subjectId,
          immigration: decisionCase.identity.immigration,
          criminalHistory: decisionCase.identity.criminalHistory,
        }
      : null;
  return { ...decisionCase.match, booking: bookingCaseOf(decisionCase.booking), identity };
}
