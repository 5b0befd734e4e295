import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_LIMITS } from '#functions/definitions';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import type { LocalPipeline } from '#local/local-pipeline';
import { getBooking, postBooking } from '#local/harness/api-client';
import { encodeIsoTemplateBase64 } from '#core/biometrics/iso-19794-2';
import { bookingItems, queueDepth, startTestPipeline } from './helpers';

/**
 * The API alone, with the event sources off so the bookings queue can be inspected: what a jail
 * sends either lands in the queue exactly once or is refused with the field that is wrong.
 */
describe('ingest API (consumers off)', () => {
  let pipeline: LocalPipeline;
  const booking = (index: number) =>
    bookingOfSubject({ seed: 11, gallerySeed: 11 }, index, { galleryIndex: null, profile: 'good' }).booking;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ consumers: false });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('refuses bad input with 400, names every wrong field, and enqueues nothing', async () => {
    // Prepare
    const valid = booking(1);
    const wrong = structuredClone(valid) as unknown as Record<string, unknown>;
    wrong.ori = 'abc';
    delete wrong.charges;
    const fingers = wrong.fingers as Array<{ template?: { minutiae: Array<{ x: number }> } }>;
    const firstCaptured = fingers.findIndex((f) => f.template !== undefined);
    fingers[firstCaptured]!.template!.minutiae[0]!.x = -5;

    // Act
    const notJson = await postBooking(pipeline.apiUrl, '{"submissionId": ');
    const invalid = await postBooking(pipeline.apiUrl, wrong);

    // Assess
    expect(notJson.status).toBe(400);
    expect(invalid.status).toBe(400);
    const paths = (invalid.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['ori', 'charges', `fingers.${firstCaptured}.template.minutiae.0.x`]));
    expect(JSON.stringify(invalid.body)).not.toContain(valid.subject.name.last);
    expect(await queueDepth(pipeline, pipeline.resources.queues.bookings.url)).toBe(0);
    expect(await bookingItems(pipeline, valid.submissionId)).toEqual([]);
    expect((await getBooking(pipeline.apiUrl, valid.submissionId)).status).toBe(404);
  });

  it('accepts templates as base64 ISO/IEC 19794-2 records and names a malformed one', async () => {
    // Prepare
    const asIso = (index: number) => {
      const value = structuredClone(booking(index)) as unknown as {
        fingers: Array<{ status: string; template?: unknown }>;
      };
      for (const finger of value.fingers) {
        if (finger.status === 'captured') {
          finger.template = {
            format: 'iso-19794-2',
            data: encodeIsoTemplateBase64(finger.template as Parameters<typeof encodeIsoTemplateBase64>[0]),
          };
        }
      }
      return value;
    };
    const iso = asIso(6);
    const broken = asIso(7);
    const firstCaptured = broken.fingers.findIndex((f) => f.status === 'captured');
    broken.fingers[firstCaptured]!.template = { format: 'iso-19794-2', data: 'Rk1SACAyMAA=' };

    // Act
    const accepted = await postBooking(pipeline.apiUrl, iso);
    const refused = await postBooking(pipeline.apiUrl, broken);

    // Assess
    expect(accepted.status).toBe(202);
    expect(refused.status).toBe(400);
    expect((refused.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain(
      `fingers.${firstCaptured}.template.data`,
    );
  });

  it('answers 413 to a body over the size limit', async () => {
    // Prepare
    const huge = { ...booking(2), padding: 'x'.repeat(API_LIMITS.maxBodyBytes) };
    const before = await queueDepth(pipeline, pipeline.resources.queues.bookings.url);

    // Act
    const answer = await postBooking(pipeline.apiUrl, huge);

    // Assess
    expect(answer.status).toBe(413);
    expect(await queueDepth(pipeline, pipeline.resources.queues.bookings.url)).toBe(before);
  });

  it('accepts a booking once: a resubmission gets the same 202 and is not enqueued again', async () => {
    // Prepare
    const valid = booking(3);
    const before = await queueDepth(pipeline, pipeline.resources.queues.bookings.url);

    // Act
    const first = await postBooking(pipeline.apiUrl, valid);
    const second = await postBooking(pipeline.apiUrl, valid);
    const status = await getBooking(pipeline.apiUrl, valid.submissionId);

    // Assess
    expect(first).toMatchObject({ status: 202, body: { submissionId: valid.submissionId, status: 'accepted' } });
    expect([second.status, second.body]).toEqual([first.status, first.body]);
    expect(await queueDepth(pipeline, pipeline.resources.queues.bookings.url)).toBe(before + 1);
    expect(status).toMatchObject({ status: 202, body: { submissionId: valid.submissionId, status: 'pending' } });
  });

  it('answers 409 when a submissionId is reused for a different booking', async () => {
    // Prepare
    const original = booking(4);
    const other = { ...booking(5), submissionId: original.submissionId };
    await postBooking(pipeline.apiUrl, original);
    const before = await queueDepth(pipeline, pipeline.resources.queues.bookings.url);

    // Act
    const answer = await postBooking(pipeline.apiUrl, other);

    // Assess
    expect(answer.status).toBe(409);
    expect(await queueDepth(pipeline, pipeline.resources.queues.bookings.url)).toBe(before);
  });

  it.each([
    ['an unknown id', 404, 'a1b2c3d4-0000-4000-a000-000000000000'],
    ['a malformed id', 400, 'bad id!'],
  ])('answers GET for %s with %i', async (_label, status, submissionId) => {
    // Act
    const answer = await getBooking(pipeline.apiUrl, submissionId);

    // Assess
    expect(answer.status).toBe(status);
  });
});
