import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { bookingHash } from '#functions/ingest/booking-hash';
import { ingestBooking } from '#functions/ingest/ingest-booking';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { inMemoryQueue, inMemorySubmissionStore } from '#test/support/in-memory-ports';

/**
 * Edge cases a real service cannot be made to produce on demand: a crash between registering a
 * submission and enqueueing it, staged with in-memory ports. (The ordinary paths run against the
 * emulators in test/integration.)
 */
describe('ingest: registered but never enqueued', () => {
  const { booking } = bookingOfSubject({ seed: 5, gallerySeed: 5 }, 0, { galleryIndex: null, profile: 'good' });
  const event = { body: JSON.stringify(booking), isBase64Encoded: false } as APIGatewayProxyEventV2;
  let submissions: ReturnType<typeof inMemorySubmissionStore>;
  let bookings: ReturnType<typeof inMemoryQueue>;
  const registered = (enqueued: boolean) =>
    submissions.submissions.set(booking.submissionId, {
      submissionId: booking.submissionId,
      bookingHash: bookingHash(booking),
      ori: booking.ori,
      receivedAt: '2026-01-01T00:00:00.000Z',
      enqueued,
    });

  beforeEach(() => {
    submissions = inMemorySubmissionStore();
    bookings = inMemoryQueue();
  });

  it('fails loudly when the queue is down, leaving the submission to be enqueued on retry', async () => {
    // Prepare
    bookings.log.failWith('send', new Error('queue unavailable'));

    // Act / Assess
    await expect(ingestBooking(event, { submissions, bookings })).rejects.toThrow('queue unavailable');
    expect(submissions.log.count('markEnqueued')).toBe(0);
    expect(submissions.submissions.get(booking.submissionId)?.enqueued).toBe(false);
  });

  it('enqueues a resubmission whose first attempt never reached the queue', async () => {
    // Prepare
    registered(false);

    // Act
    const answer = await ingestBooking(event, { submissions, bookings });

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(bookings.sent).toHaveLength(1);
    expect(submissions.log.count('markEnqueued')).toBe(1);
    expect(submissions.submissions.get(booking.submissionId)?.enqueued).toBe(true);
  });

  it('does not enqueue a resubmission that already reached the queue', async () => {
    // Prepare
    registered(true);

    // Act
    const answer = await ingestBooking(event, { submissions, bookings });

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(bookings.sent).toHaveLength(0);
  });

  it('enqueues a new booking once, tagged with its submissionId, and marks it enqueued', async () => {
    // Act
    const answer = await ingestBooking(event, { submissions, bookings });

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(bookings.sent).toEqual([{ text: JSON.stringify(booking), submissionId: booking.submissionId }]);
    expect(submissions.submissions.get(booking.submissionId)?.enqueued).toBe(true);
  });

  it('answers 409 to a submissionId reused for a different booking, enqueueing nothing', async () => {
    // Prepare
    registered(true);
    submissions.submissions.get(booking.submissionId)!.bookingHash = 'another booking';

    // Act
    const answer = await ingestBooking(event, { submissions, bookings });

    // Assess
    expect(answer.statusCode).toBe(409);
    expect(bookings.sent).toHaveLength(0);
    expect(submissions.log.count('markEnqueued')).toBe(0);
  });
});
