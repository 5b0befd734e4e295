import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';
import type { LocalPipeline } from '#local/local-pipeline';
import { postBooking, waitForRecord } from '#local/harness/api-client';
import { bookingItems, drainMessages, eventually, queueDepth, sendRaw, startTestPipeline } from './helpers';

const GALLERY_SEED = 31;

/** At-least-once delivery: duplicates make one record, poison messages end in the DLQ. */
describe('delivery semantics', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ retryDelaySeconds: 1 });
    await enrolIdentities(pipeline.resources.tables.gallery, [...syntheticGallery(GALLERY_SEED, 30)], enrolmentEntries);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  const itemsOfKind = async (submissionId: string, prefix: string) =>
    (await bookingItems(pipeline, submissionId)).filter((item) => String(item.sk).startsWith(prefix));

  const queuesIdle = () =>
    eventually(
      async () =>
        (await queueDepth(pipeline, pipeline.resources.queues.bookings.url)) === 0 &&
        (await queueDepth(pipeline, pipeline.resources.queues.decisions.url)) === 0,
      'queues to drain',
    );

  it('makes one record when the same booking is delivered to the match step three times', async () => {
    // Prepare
    const { booking } = bookingOfSubject({ seed: 32, gallerySeed: GALLERY_SEED }, 1, {
      galleryIndex: 5,
      profile: 'good',
    });
    const body = JSON.stringify(booking);

    // Act
    await Promise.all([1, 2, 3].map(() => sendRaw(pipeline, pipeline.resources.queues.bookings.url, body)));
    await waitForRecord(pipeline.apiUrl, booking.submissionId);
    await queuesIdle();

    // Assess
    expect(await itemsOfKind(booking.submissionId, 'RECORD#')).toHaveLength(1);
    expect(await itemsOfKind(booking.submissionId, 'AUDIT#')).toHaveLength(1);
  });

  it('keeps the first record when a match result is redelivered to the decide step', async () => {
    // Prepare
    const { booking } = bookingOfSubject({ seed: 32, gallerySeed: GALLERY_SEED }, 2, {
      galleryIndex: 6,
      profile: 'good',
    });
    await postBooking(pipeline.apiUrl, booking);
    const first = await waitForRecord(pipeline.apiUrl, booking.submissionId);
    const [storedCase] = await itemsOfKind(booking.submissionId, 'CASE');
    const matchResult = JSON.stringify((storedCase as { match: unknown }).match);

    // Act
    await sendRaw(pipeline, pipeline.resources.queues.decisions.url, matchResult);
    await sendRaw(pipeline, pipeline.resources.queues.decisions.url, matchResult);
    await queuesIdle();

    // Assess
    const records = await itemsOfKind(booking.submissionId, 'RECORD#');
    expect(records).toHaveLength(1);
    expect((records[0] as { record: { decidedAt: string } }).record.decidedAt).toBe(first.decidedAt);
  });

  it.each([
    ['bookings', 'not json at all'],
    ['bookings', JSON.stringify({ submissionId: 'poison-0001', ori: 'XX' })],
    ['decisions', JSON.stringify({ booking: { submissionId: 'poison-0002' } })],
  ] as const)('moves a poison message on the %s queue to its DLQ after its retries', async (queue, body) => {
    // Prepare
    const { url, dlqUrl, definition } = pipeline.resources.queues[queue];

    // Act
    await sendRaw(pipeline, url, body);
    const dead = await drainMessages(pipeline, dlqUrl, 1, 30_000);

    // Assess
    expect(dead.map((m) => m.Body)).toEqual([body]);
    expect(definition.maxReceiveCount).toBeGreaterThan(1);
    // The handler dead-letters first and answers after; the event source then deletes the original.
    await eventually(async () => (await queueDepth(pipeline, url)) === 0, 'the original to be deleted', 10_000);
  });
});
