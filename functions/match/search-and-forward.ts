import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { GalleryReader, GalleryReadStats, MessageQueue } from '#core/ports';
import type { BookingSubmission } from '#core/schemas';
import { logger, metrics } from '#runtime/powertools';
import { searchBooking, type SearchBookingOptions } from './search-booking';

/** What the match step reads and writes. */
export interface MatchPorts {
  /** The gallery for one search; `onRead` hears of each read (bytes read per search go in a metric). */
  openGallery(onRead: (stats: GalleryReadStats) => void): GalleryReader;
  /** The decisions queue, which the decide step consumes. */
  decisions: MessageQueue;
}

/** What the idempotency table keeps of a finished search: no biometric or personal data. */
export interface SearchSummary {
  outcome: string;
  candidatesVerified: number;
}

/** One booking: a 1:N search of the gallery, then its match result to the decisions queue. */
export async function searchAndForward(
  booking: BookingSubmission,
  ports: MatchPorts,
  options: SearchBookingOptions = {},
): Promise<SearchSummary> {
  let bytesRead = 0;
  const reader = ports.openGallery(({ bytes }) => (bytesRead += bytes));
  const match = await searchBooking(booking, reader, options);
  await ports.decisions.send(match, booking.submissionId);

  metrics.addMetric('SearchLatency', MetricUnit.Milliseconds, match.search.latencyMs);
  metrics.addMetric('CandidatesPerSearch', MetricUnit.Count, match.search.candidatesVerified);
  metrics.addMetric('GalleryBytesReadPerSearch', MetricUnit.Bytes, bytesRead);
  const outcomeMetric = metrics.singleMetric();
  outcomeMetric.addDimension('outcome', match.outcome);
  outcomeMetric.addMetric('MatchOutcomes', MetricUnit.Count, 1);
  logger.info('Search done', {
    submissionId: booking.submissionId,
    outcome: match.outcome,
    candidatesVerified: match.search.candidatesVerified,
    galleryBytesRead: bytesRead,
    latencyMs: Math.round(match.search.latencyMs),
  });
  return { outcome: match.outcome, candidatesVerified: match.search.candidatesVerified };
}
