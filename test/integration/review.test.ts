import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import type { GalleryIdentity, ReviewRequest } from '#core/schemas';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticIdentity } from '#simulation/synthetic-gallery';
import { getBooking, postBooking, waitForRecord } from '#local/harness/api-client';
import type { LocalPipeline } from '#local/local-pipeline';
import { bookingItems, eventually, queueDepth, sendRaw, startTestPipeline } from './helpers';

const GALLERY_SEED = 23;

/** One enrolled person: an overstay convicted of armed robbery (Level 1). */
function robber(): GalleryIdentity {
  const person = syntheticIdentity(GALLERY_SEED, 0);
  return {
    ...person,
    immigration: { status: 'overstay', encounters: [], removalOrders: [] },
    criminalHistory: {
      convictions: [
        {
          ncicCode: '1201',
          literal: 'ROBBERY - BUSINESS - GUN',
          grade: 'felony',
          maxSentenceDays: 3650,
          sentenceDays: 1460,
          date: '2009-03-14',
        },
      ],
    },
  };
}

/** A stored case decided again under another policy, through the decisions queue. */
describe('review: re-deciding a stored case', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await enrolIdentities(pipeline.resources.tables.gallery, [robber()], enrolmentEntries);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  const review = (submissionId: string, policyId: string): string =>
    JSON.stringify({ kind: 'review', submissionId, policyId, reviewId: 'it-review-1' } satisfies ReviewRequest);
  const settled = () =>
    eventually(
      async () => (await queueDepth(pipeline, pipeline.resources.queues.decisions.url)) === 0,
      'the decisions queue did not drain',
    );

  it('writes one new version that supersedes the first, however often the request is delivered', async () => {
    // Prepare: a 2011 booking, decided under sc-2011.
    const { booking } = bookingOfSubject({ seed: 5, gallerySeed: GALLERY_SEED }, 0, {
      galleryIndex: 0,
      profile: 'good',
    });
    await postBooking(pipeline.apiUrl, booking);
    const first = await waitForRecord(pipeline.apiUrl, booking.submissionId);
    expect(first).toMatchObject({ type: 'detainer', version: 1, policy: { id: 'sc-2011' }, form: { id: 'I-247' } });

    // Act: the same review request three times (at-least-once delivery, or an operator running it twice).
    const queue = pipeline.resources.queues.decisions.url;
    await Promise.all([1, 2, 3].map(() => sendRaw(pipeline, queue, review(booking.submissionId, 'pep-2014'))));
    await eventually(
      async () => (await getBooking(pipeline.apiUrl, booking.submissionId)).body.record?.version === 2,
      'no second version',
    );
    await settled();

    // Assess: v2 under PEP (a notification request), v1 kept and marked superseded, one audit entry.
    const items = await bookingItems(pipeline, booking.submissionId);
    const records = items.filter((item) => String(item.sk).startsWith('RECORD#'));
    expect(records.map((item) => item.sk)).toEqual(['RECORD#v0001', 'RECORD#v0002']);
    const [v1, v2] = records;
    expect(v1).toMatchObject({ supersededBy: 2, record: { status: 'superseded', type: 'detainer', version: 1 } });
    expect(v2).toMatchObject({
      supersedes: 1,
      record: { status: 'active', version: 2, policy: { id: 'pep-2014' }, form: { id: 'I-247N' } },
    });
    expect((v2!.record as { hold: { requested: boolean } }).hold.requested).toBe(false);
    const audits = items.filter((item) => item.action === 'RECORD_SUPERSEDED');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'review:it-review-1', recordVersion: 2, supersedes: 1 });
  });

  it('moves a request for an unknown policy to the DLQ and writes nothing', async () => {
    // Prepare
    const { booking } = bookingOfSubject({ seed: 6, gallerySeed: GALLERY_SEED }, 1, {
      galleryIndex: 0,
      profile: 'good',
    });
    await postBooking(pipeline.apiUrl, booking);
    await waitForRecord(pipeline.apiUrl, booking.submissionId);

    // Act
    await sendRaw(pipeline, pipeline.resources.queues.decisions.url, review(booking.submissionId, 'no-such-era'));

    // Assess
    await eventually(
      async () => (await queueDepth(pipeline, pipeline.resources.queues.decisions.dlqUrl)) === 1,
      'the request did not reach the DLQ',
    );
    const records = (await bookingItems(pipeline, booking.submissionId)).filter((i) =>
      String(i.sk).startsWith('RECORD#'),
    );
    expect(records).toHaveLength(1);
  });

  it('sc-pipeline review re-decides every active record in the range and prints the transitions, once', async () => {
    // Prepare: the CLI as an operator runs it, against this pipeline's tables and queues.
    const prefix = pipeline.resources.tables.records.replace(/-records$/, '');
    const cli = () =>
      promisify(execFile)('node', [
        'bin/sc-pipeline.js',
        'review',
        '--policy',
        'eo-2017',
        '--since',
        '2011-01-01',
        '--until',
        '2011-12-31',
        '--local',
        '--prefix',
        prefix,
        '--endpoint',
        pipeline.endpoints.dynamodb,
        '--sqs-endpoint',
        pipeline.endpoints.sqs,
        '--timeout',
        '60',
      ]);

    // Act
    const first = await cli();
    await settled();
    const second = await cli();
    await settled();

    // Assess: the two bookings above (a PEP notification and an sc-2011 detainer) become EO 13768
    // detainers; the second run finds them current and writes nothing.
    expect(first.stdout).toMatch(/2 active records booked 2011-01-01 to 2011-12-31/);
    expect(first.stdout).toMatch(/detainer\s+detainer\s+2/);
    expect(second.stdout).toMatch(/detainer\s+detainer\s+2/);
    const versions = async (submissionId: string) =>
      (await bookingItems(pipeline, submissionId)).filter((i) => String(i.sk).startsWith('RECORD#')).length;
    const ids = (first.stdout.match(/[0-9a-f-]{36}/g) ?? []).length;
    expect(ids).toBe(0); // the summary names no booking
    const all = await Promise.all(
      [0, 1].map((n) =>
        versions(
          bookingOfSubject({ seed: 5 + n, gallerySeed: GALLERY_SEED }, n, { galleryIndex: 0, profile: 'good' }).booking
            .submissionId,
        ),
      ),
    );
    expect(all).toEqual([3, 2]);
  });
});
