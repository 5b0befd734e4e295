import { DEFAULT_THRESHOLDS } from '#core/biometrics/fusion';
import { baselineMatcher } from '#core/biometrics/matcher';
import { searchGallery, type GalleryReader } from '#core/biometrics/search';
import { PHASES, timePhase } from '#runtime/phase-timer';
import { bookingCaseOf, type BookingSubmission, type CapturedFinger, type MatchResult } from '#core/schemas';

/**
 * One booking's 1:N search and the match result the decision step reads: the booking's case (no
 * biographics, no fingerprints), the outcome, the best candidates and the search's cost.
 */
export async function searchBooking(booking: BookingSubmission, gallery: GalleryReader): Promise<MatchResult> {
  const started = performance.now();
  const probe = booking.fingers.filter((finger): finger is CapturedFinger => finger.status === 'captured');
  const search = await timePhase(PHASES.search, () =>
    searchGallery(probe, gallery, { matcher: baselineMatcher, thresholds: DEFAULT_THRESHOLDS, timeStep: timePhase }),
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
