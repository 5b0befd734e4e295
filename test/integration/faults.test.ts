import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';
import type { BookingSubmission } from '#core/schemas';
import { redriveDeadLetters } from '#cli/ops/dead-letters/redrive';
import { postBooking } from '#local/harness/api-client';
import { auditDelivery, awaitSettled } from '#local/harness/delivery-audit';
import type { LocalPipeline } from '#local/local-pipeline';
import { startTestPipeline } from './helpers';

const GALLERY_SEED = 51;
const GALLERY_SIZE = 30;
let nextBooking = 0;

/** Bookings of enrolled and of unknown people, each with a fresh submissionId. */
function bookings(count: number): BookingSubmission[] {
  return Array.from({ length: count }, () => {
    const index = nextBooking++;
    return bookingOfSubject({ seed: 52, gallerySeed: GALLERY_SEED }, index, {
      galleryIndex: index % 3 === 0 ? index % GALLERY_SIZE : null,
      profile: 'good',
    }).booking;
  });
}

async function enrolGallery(pipeline: LocalPipeline): Promise<void> {
  await enrolIdentities(
    pipeline.resources.tables.gallery,
    [...syntheticGallery(GALLERY_SEED, GALLERY_SIZE)],
    enrolmentEntries,
  );
}

/** Submits through the API as a jail would (retrying 5xx), then waits until the queues are idle. */
async function runThrough(pipeline: LocalPipeline, batch: BookingSubmission[]): Promise<void> {
  const answers = await Promise.all(batch.map((booking) => postBooking(pipeline.apiUrl, booking)));
  expect(answers.map((a) => a.status)).toEqual(batch.map(() => 202));
  await awaitSettled(pipeline.clients, pipeline.resources, { timeoutMs: 90_000 });
}

async function sendPoison(pipeline: LocalPipeline, submissionId: string, body: string): Promise<void> {
  await pipeline.clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: pipeline.resources.queues.bookings.url,
      MessageBody: body,
      MessageAttributes: { submissionId: { DataType: 'String', StringValue: submissionId } },
    }),
  );
}

/**
 * Each fault of the issue against the local runtime: the same handlers, real emulators, faults
 * injected into the handlers' SDK calls and invocations. The audit is the soak run's: every
 * submission has exactly one record or exactly one dead letter.
 */
describe('faults: nothing lost, nothing twice', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    // The search lock expires with the function timeout (3 s here), before a failed message comes
    // back (4 s), as on AWS the visibility timeout outlasts the function timeout.
    pipeline = await startTestPipeline({ retryDelaySeconds: 4, functionTimeoutSeconds: 3 });
    await enrolGallery(pipeline);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('absorbs throttling, 500s and timeouts on a fifth of DynamoDB and SQS calls, and dead-letters poison with its reason', async () => {
    // Prepare
    const batch = bookings(12);
    pipeline.faults.resetCounts();
    pipeline.faults.set({ dynamodb: { rate: 0.2 }, sqs: { rate: 0.2 } });

    // Act
    await sendPoison(pipeline, 'poison-not-json', 'not json at all');
    await sendPoison(pipeline, 'poison-bad-booking', JSON.stringify({ submissionId: 'poison-bad-booking', ori: 'X' }));
    await runThrough(pipeline, batch);
    pipeline.faults.clear();

    // Assess
    const audit = await auditDelivery(pipeline.clients, pipeline.resources, [
      ...batch.map((b) => b.submissionId),
      'poison-not-json',
      'poison-bad-booking',
    ]);
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 12, deadLettered: 2, deadLetterCopies: 0 });
    expect(audit.deadLetterReasons).toEqual({ poison: 2 });
    const { injected, sdkRetries } = pipeline.faults.counts;
    for (const service of ['dynamodb', 'sqs'] as const)
      for (const kind of ['throttle', 'server-error', 'timeout'] as const)
        expect(injected[service][kind], `${service} ${kind}`).toBeGreaterThan(0);
    expect(sdkRetries).toBeGreaterThan(0);
  });

  it('makes one record per booking when handlers crash mid-batch after writing some records', async () => {
    // Prepare
    const batch = bookings(10);
    pipeline.faults.resetCounts();
    pipeline.faults.set({
      functions: { match: { crash: { afterRecords: 1, times: 2 } }, decide: { crash: { afterRecords: 2, times: 3 } } },
    });

    // Act
    await runThrough(pipeline, batch);

    // Assess
    expect(pipeline.faults.counts.crashes).toBe(5);
    const audit = await auditDelivery(
      pipeline.clients,
      pipeline.resources,
      batch.map((b) => b.submissionId),
    );
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 10, deadLettered: 0 });
  });

  it('makes one record per booking when every batch is delivered twice at once', async () => {
    // Prepare
    const batch = bookings(8);
    pipeline.faults.resetCounts();
    pipeline.faults.set({ functions: { match: { duplicateRate: 1 }, decide: { duplicateRate: 1 } } });

    // Act
    await runThrough(pipeline, batch);
    pipeline.faults.clear();

    // Assess
    expect(pipeline.faults.counts.duplicateDeliveries).toBeGreaterThan(0);
    const audit = await auditDelivery(
      pipeline.clients,
      pipeline.resources,
      batch.map((b) => b.submissionId),
    );
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 8, deadLettered: 0 });
  });

  it('dead-letters a message that fails on every receive, with the reason, and keeps it there', async () => {
    // Prepare
    const [booking] = bookings(1);
    pipeline.faults.set({ dynamodb: { rate: 1, kinds: ['server-error'], operations: ['TransactWriteItems'] } });

    // Act
    await runThrough(pipeline, [booking!]);
    pipeline.faults.clear();

    // Assess
    const audit = await auditDelivery(pipeline.clients, pipeline.resources, [booking!.submissionId]);
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 0, deadLettered: 1 });
    expect(audit.deadLetters).toEqual([{ submissionId: booking!.submissionId, reason: 'retries-exhausted' }]);
  });

  it('makes the record once the cause is fixed and the dead letters are redriven, twice', async () => {
    // Prepare: a booking dead-lettered while its record could not be written, then the fault gone
    // (the DLQ also holds the previous test's dead letter: it is redriven too).
    const [booking] = bookings(1);
    pipeline.faults.set({ dynamodb: { rate: 1, kinds: ['throttle'], operations: ['TransactWriteItems'] } });
    await runThrough(pipeline, [booking!]);
    pipeline.faults.clear();
    const { decisions } = pipeline.resources.queues;
    const redrive = () =>
      redriveDeadLetters(pipeline.clients.sqs, {
        dlqUrl: decisions.dlqUrl,
        dlqArn: decisions.dlqArn,
        sourceUrl: decisions.url,
        sourceArn: decisions.arn,
        useMoveTask: false,
      });

    // Act
    const first = await redrive();
    await awaitSettled(pipeline.clients, pipeline.resources);
    const second = await redrive();
    await awaitSettled(pipeline.clients, pipeline.resources);

    // Assess
    expect(first).toMatchObject({ kind: 'copied', failed: 0 });
    expect(first.kind === 'copied' && first.moved).toBeGreaterThanOrEqual(1);
    expect(second).toMatchObject({ kind: 'copied', moved: 0 });
    const audit = await auditDelivery(pipeline.clients, pipeline.resources, [booking!.submissionId]);
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 1, deadLettered: 0 });
  });
});

describe('faults: a handler slower than the visibility timeout', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    // A 2 s visibility timeout (the stack never allows one below 6x the function timeout): a message
    // comes back to another poller while its first delivery is still being handled.
    pipeline = await startTestPipeline({
      retryDelaySeconds: 2,
      visibilityTimeoutSeconds: 2,
      functionTimeoutSeconds: 10,
    });
    await enrolGallery(pipeline);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('makes one record when the search and the record write each stall past the visibility timeout', async () => {
    // Prepare
    const batch = bookings(2);
    pipeline.faults.set({
      slowCalls: [
        { service: 'sqs', operation: 'SendMessage', delayMs: 3_000, times: 1 },
        { service: 'dynamodb', operation: 'TransactWriteItems', delayMs: 3_000, times: 1 },
      ],
    });
    const receivedBefore = pipeline.stats.match.redelivered + pipeline.stats.decide.redelivered;

    // Act
    await runThrough(pipeline, batch);

    // Assess
    expect(pipeline.faults.counts.slowedCalls).toBe(2);
    expect(pipeline.stats.match.redelivered + pipeline.stats.decide.redelivered).toBeGreaterThan(receivedBefore);
    const audit = await auditDelivery(
      pipeline.clients,
      pipeline.resources,
      batch.map((b) => b.submissionId),
    );
    expect(audit).toMatchObject({ lost: [], duplicated: [], recorded: 2, deadLettered: 0 });
  });
});
