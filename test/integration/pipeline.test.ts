import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import type { GalleryIdentity, OutcomeRecord, RecordType } from '#core/schemas';
import { bookingOfSubject, type SubjectProfile } from '#simulation/synthetic-bookings';
import { syntheticIdentity } from '#simulation/synthetic-gallery';
import type { HandlerSource } from '#local/environments/handler-source';
import type { LocalPipeline } from '#local/local-pipeline';
import { postBooking, waitForRecord } from '#local/harness/api-client';
import { drainMessages, startTestPipeline } from './helpers';

const GALLERY_SEED = 21;
const GALLERY_SIZE = 60;

/** Gallery people whose records are set so that each leads to a known record type. */
function casePeople(): GalleryIdentity[] {
  const people = Array.from({ length: GALLERY_SIZE }, (_, index) => syntheticIdentity(GALLERY_SEED, index));
  const robbery = {
    ncicCode: '1201',
    literal: 'ROBBERY - BUSINESS - GUN',
    grade: 'felony' as const,
    maxSentenceDays: 3650,
    sentenceDays: 1460,
    date: '2009-03-14',
  };
  people[0] = {
    ...people[0]!,
    immigration: { status: 'overstay', aNumber: 'A012345678', encounters: [], removalOrders: [] },
    criminalHistory: { convictions: [robbery] },
  };
  people[1] = {
    ...people[1]!,
    immigration: { status: 'undetermined', encounters: [], removalOrders: [] },
    criminalHistory: { convictions: [] },
  };
  people[2] = {
    ...people[2]!,
    immigration: { status: 'usc', encounters: [], removalOrders: [] },
    criminalHistory: { convictions: [robbery] },
  };
  return people;
}

/** A cloud assembly of its own, built by `cdk synth` for this run (not a stale cdk.out). */
const assembly = mkdtempSync(join(tmpdir(), 'sc-bundles-'));
const SOURCES: Array<[string, HandlerSource]> = [
  ['the TypeScript sources', 'sources'],
  ['the bundles cdk synth builds', { cdkOut: assembly, rebuild: true }],
];

/**
 * A booking POSTed through the API all the way to its record, for each record type: on the sources,
 * and on the deployed artifacts, so that a bundling error (a dynamic require, a missing alias)
 * fails here and not in a deploy.
 */
describe.each(SOURCES)('pipeline on %s: booking in, record out', (_name, handlers) => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ handlers });
    await enrolIdentities(pipeline.resources.tables.gallery, casePeople(), enrolmentEntries);
  });
  afterAll(async () => {
    await pipeline?.stop();
    if (handlers !== 'sources') rmSync(assembly, { recursive: true, force: true });
  });

  it('runs each function from its handler module in environments of its own', () => {
    for (const pool of Object.values(pipeline.environments)) {
      expect(pool.handlerUrl).toMatch(
        handlers === 'sources' ? /\/functions\/[a-z-]+\/handler\.ts$/ : /\/asset\.[0-9a-f]{64}\/index\.mjs$/,
      );
    }
  });

  const cases: Array<
    [string, RecordType, { galleryIndex: number | null; profile: SubjectProfile }, (r: OutcomeRecord) => void]
  > = [
    [
      'a removable person with an L1 conviction',
      'detainer',
      { galleryIndex: 0, profile: 'good' },
      (r) => expect(r.type === 'detainer' && r.receivingAgencyOri).toBe(r.ori),
    ],
    [
      'a person of undetermined status',
      'discretion-review',
      { galleryIndex: 1, profile: 'good' },
      (r) => expect(r.match.outcome).toBe('match'),
    ],
    [
      'a US citizen, even with a conviction',
      'no-action',
      { galleryIndex: 2, profile: 'good' },
      (r) => expect(r.type === 'no-action' && r.reason).toBe('citizen'),
    ],
    [
      'someone not in the gallery',
      'no-action',
      { galleryIndex: null, profile: 'good' },
      (r) => expect(r.type === 'no-action' && r.reason).toBe('no-match'),
    ],
    [
      'an enrolled person with only poor prints',
      'biometric-verification',
      { galleryIndex: 3, profile: 'poor' },
      (r) => expect(r.match.outcome).toBe('inconclusive'),
    ],
  ];

  it.each(cases)('%s gets a %s record', async (_label, expectedType, subject, extra) => {
    // Prepare
    const { booking } = bookingOfSubject(
      { seed: 22, gallerySeed: GALLERY_SEED },
      cases.findIndex((c) => c[2] === subject),
      subject,
    );

    // Act
    const accepted = await postBooking(pipeline.apiUrl, booking);
    const record = await waitForRecord(pipeline.apiUrl, booking.submissionId, { timeoutMs: 60_000 });

    // Assess
    expect(accepted.status).toBe(202);
    expect(record.type).toBe(expectedType);
    expect(record.submissionId).toBe(booking.submissionId);
    expect(record.ori).toBe(booking.ori);
    expect(record.rulesFired.length).toBeGreaterThan(0);
    expect(record.inputHash).toMatch(/^[a-f0-9]{64}$/);
    if (subject.galleryIndex !== null && record.match.outcome === 'match') {
      expect(record.match.subjectId).toBe(syntheticIdentity(GALLERY_SEED, subject.galleryIndex).subjectId);
    }
    extra(record);
  });

  it('publishes every record as an event with the record as its detail', async () => {
    // Act
    const events = await drainMessages(pipeline, pipeline.resources.eventsQueueUrl, cases.length, 10_000);

    // Assess
    const details = events.map((e) => JSON.parse(e.Body ?? '{}') as { 'detail-type': string; detail: OutcomeRecord });
    expect(details).toHaveLength(cases.length);
    expect(new Set(details.map((d) => d.detail.type))).toEqual(
      new Set(['detainer', 'discretion-review', 'no-action', 'biometric-verification']),
    );
    expect(details.every((d) => d['detail-type'] === 'OutcomeRecordWritten')).toBe(true);
  });

  it("audits every record and reaches the handlers' clients with the local instruments", async () => {
    // Act
    const entries = await drainMessages(pipeline, pipeline.resources.auditQueueUrl, Number.MAX_SAFE_INTEGER, 5_000);

    // Assess: the audit stand-in and the fault injector's counter are registered from outside the
    // handler module, bundle or not.
    const actions = entries.map((e) => (JSON.parse(e.Body ?? '{}') as { action?: string }).action);
    expect(actions.filter((a) => a === 'RECORD_WRITTEN')).toHaveLength(cases.length);
    expect(pipeline.faults.counts.calls.dynamodb).toBeGreaterThan(0);
    expect(pipeline.environments.match.stats.coldStarts).toBeGreaterThanOrEqual(1);
  });
});
