import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { AuditEventSchema, type AuditEvent } from '#core/schemas';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';
import { getBooking, postBooking, waitForRecord } from '#local/harness/api-client';
import type { LocalPipeline } from '#local/local-pipeline';
import { bookingItems, drainMessages, sendRaw, startTestPipeline } from './helpers';

const GALLERY_SEED = 81;

/** The audit trail: one entry per record version written, one per read through the API. */
describe('audit trail', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await enrolIdentities(pipeline.resources.tables.gallery, [...syntheticGallery(GALLERY_SEED, 20)], enrolmentEntries);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  const auditEntries = async (): Promise<AuditEvent[]> =>
    (await drainMessages(pipeline, pipeline.resources.auditQueueUrl, 1_000, 3_000)).map((message) =>
      AuditEventSchema.parse(JSON.parse(message.Body ?? '{}')),
    );

  it('enters each record written once, even when its match result is delivered again, and every read', async () => {
    // Prepare
    const { booking } = bookingOfSubject({ seed: 82, gallerySeed: GALLERY_SEED }, 0, {
      galleryIndex: 3,
      profile: 'good',
    });
    await postBooking(pipeline.apiUrl, booking);
    const record = await waitForRecord(pipeline.apiUrl, booking.submissionId);
    const before = await auditEntries();

    // Act: the match result delivered again, and two more reads.
    const unknownId = randomUUID();
    const [matchCase] = (await bookingItems(pipeline, booking.submissionId)).filter((item) => item.sk === 'CASE');
    await sendRaw(pipeline, pipeline.resources.queues.decisions.url, JSON.stringify(matchCase?.match));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const answers = [
      await getBooking(pipeline.apiUrl, booking.submissionId),
      await getBooking(pipeline.apiUrl, unknownId),
    ];
    const after = await auditEntries();
    const entries = [...before, ...after];

    // Assess
    expect(before.filter((e) => e.action === 'RECORD_READ').length).toBeGreaterThanOrEqual(1);
    expect(answers.map((a) => a.status)).toEqual([200, 404]);
    const writes = entries.filter((e) => e.action === 'RECORD_WRITTEN');
    expect(writes).toEqual([
      expect.objectContaining({
        submissionId: booking.submissionId,
        recordVersion: 1,
        outcome: record.type,
        trigger: 'booking',
        at: record.decidedAt,
        inputHash: record.inputHash,
      }),
    ]);
    const reads = after.filter((e) => e.action === 'RECORD_READ');
    expect(reads).toEqual([
      expect.objectContaining({
        submissionId: booking.submissionId,
        recordVersion: 1,
        outcome: '200',
        actor: 'unauthenticated',
      }),
      expect.objectContaining({ submissionId: unknownId, outcome: '404' }),
    ]);
    const text = JSON.stringify(entries);
    for (const value of [booking.subject.name.last, booking.subject.name.first, booking.subject.dateOfBirth])
      expect(text).not.toContain(value);
  });
});
