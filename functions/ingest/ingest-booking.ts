import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { API_LIMITS } from '#functions/definitions';
import type { MessageQueue, SubmissionStore } from '#core/ports';
// The booking schema's own module: the schemas' index would bring every schema into the bundle.
import { BookingSubmissionSchema } from '#core/schemas/booking';
import { badRequest, bodyText, fieldErrors, json } from '#runtime/http';
import { logger, metrics } from '#runtime/powertools';
import { bookingHash } from './booking-hash';

/** What the ingest step reads and writes. */
export interface IngestPorts {
  submissions: SubmissionStore;
  /** The bookings queue, which the match step consumes. */
  bookings: MessageQueue;
}

/**
 * POST /bookings: validate, register the submissionId once, enqueue for the biometric search.
 * Answers 202 with the submissionId; a resubmission of the same booking gets the same answer and
 * is not enqueued again.
 */
export async function ingestBooking(
  event: APIGatewayProxyEventV2,
  { submissions, bookings }: IngestPorts,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { text, bytes } = bodyText(event);
  if (bytes > API_LIMITS.maxBodyBytes) {
    metrics.addMetric('BookingsRejected', MetricUnit.Count, 1);
    return json(413, { error: 'payload-too-large', message: `The body is over ${API_LIMITS.maxBodyBytes} bytes` });
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    metrics.addMetric('BookingsRejected', MetricUnit.Count, 1);
    return badRequest('The body is not valid JSON', [{ path: '(root)', message: 'must be a JSON object' }]);
  }

  const parsed = BookingSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    metrics.addMetric('BookingsRejected', MetricUnit.Count, 1);
    const errors = fieldErrors(parsed.error);
    logger.info('Booking rejected', {
      fields: errors.slice(0, API_LIMITS.maxFieldErrors).map((e) => e.path),
      fieldCount: errors.length,
    });
    return badRequest('The booking has invalid fields', errors);
  }

  const booking = parsed.data;
  logger.appendKeys({ submissionId: booking.submissionId, ori: booking.ori });
  logger.setCorrelationId(booking.submissionId);
  const now = new Date().toISOString();
  const registration = await submissions.register({
    submissionId: booking.submissionId,
    bookingHash: bookingHash(booking),
    ori: booking.ori,
    receivedAt: now,
  });

  if (registration.kind === 'conflict') {
    metrics.addMetric('BookingsRejected', MetricUnit.Count, 1);
    return json(409, {
      error: 'conflict',
      message: 'This submissionId was already used for a different booking',
      submissionId: booking.submissionId,
    });
  }

  // A duplicate whose first attempt registered but crashed before enqueueing is enqueued now:
  // downstream steps are idempotent, so at worst the queue sees it twice, never zero times.
  if (registration.kind === 'new' || !registration.enqueued) {
    await bookings.send(booking, booking.submissionId);
    await submissions.markEnqueued(booking.submissionId, new Date().toISOString());
    metrics.addMetric('BookingsAccepted', MetricUnit.Count, 1);
    logger.info('Booking accepted', { duplicate: registration.kind === 'duplicate' });
  } else {
    metrics.addMetric('DuplicateSubmissions', MetricUnit.Count, 1);
    logger.info('Duplicate submission answered without enqueueing');
  }

  return json(202, { submissionId: booking.submissionId, status: 'accepted' });
}
