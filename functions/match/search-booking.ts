import { DEFAULT_THRESHOLDS } from '#core/biometrics/fusion';
import { baselineMatcher } from '#core/biometrics/matcher';
import { searchGallery } from '#core/biometrics/search';
import { untimed, type GalleryReader, type TimeStep } from '#core/ports';
import type { BookingSubmission, CapturedFinger, MatchResult } from '#core/schemas';
import { bookingCaseOf } from '#core/schemas/decision-case';

export interface SearchBookingOptions {
  /**
   * Runs the search ('search') and each round of its matcher comparisons ('verification'), so that a
   * caller can time them. @default runs them
   */
  timeStep?: TimeStep<'search' | 'verification'>;
}

/**
 * One booking's 1:N search and the match result the decision step reads: the booking's case (no
 * biographics, no fingerprints), the outcome, the best candidates and the search's cost.
 */
export async function searchBooking(
  booking: BookingSubmission,
  gallery: GalleryReader,
  { timeStep = untimed }: SearchBookingOptions = {},
): Promise<MatchResult> {
  const started = performance.now();
  const probe = booking.fingers.filter((finger): finger is CapturedFinger => finger.status === 'captured');
  const search = await timeStep('search', () =>
    searchGallery(probe, gallery, { matcher: baselineMatcher, thresholds: DEFAULT_THRESHOLDS, timeStep }),
  );
  const latencyMs = performance.now() - started;
  return {
    booking: bookingCaseOf(booking),
    outcome: search.outcome,
    candidates: search.candidates,
    identity: search.identity,
    matcher: { algorithm: baselineMatcher.algorithm, version: baselineMatcher.version, thresholds: DEFAULT_THRESHOLDS },
    search: { ...search.stats, latencyMs: Math.round(latencyMs * 10) / 10 },
    matchedAt: new Date().toISOString(),
  };
}
