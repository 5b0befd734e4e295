import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';
import { postBooking } from '#local/harness/api-client';
import { auditDelivery, awaitSettled } from '#local/harness/delivery-audit';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '#local/emulators/dynamodb-local';
import { startLocalPipeline, type LocalPipeline } from '#local/local-pipeline';
import { eventually } from './helpers';

const GALLERY_SEED = 61;

/**
 * DynamoDB goes away mid-run and comes back with its data (DynamoDB Local on disk, restarted on the
 * same port). Calls fail with connection errors meanwhile: the SDK retries, then SQS redelivers, then
 * a message that failed every receive goes to the DLQ with its reason. (fauxqs keeps its queues in
 * memory only, so restarting it would lose the queues themselves, which SQS never does.)
 */
describe('faults: DynamoDB restarted mid-run', () => {
  let dynamodb: RunningDynamoDbLocal;
  let pipeline: LocalPipeline;
  const dbPath = mkdtempSync(join(tmpdir(), 'sc-ddb-'));

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ dbPath });
    pipeline = await startLocalPipeline({
      dynamodbEndpoint: dynamodb.endpoint,
      sqsEndpoint: inject('sqsEndpoint'),
      prefix: 'it-restart',
      retryDelaySeconds: 5,
      functionTimeoutSeconds: 4,
    });
    await enrolIdentities(pipeline.resources.tables.gallery, [...syntheticGallery(GALLERY_SEED, 20)], enrolmentEntries);
  });
  afterAll(async () => {
    await pipeline?.stop();
    await dynamodb?.stop();
    rmSync(dbPath, { recursive: true, force: true });
  });

  it('loses no booking and decides none twice', async () => {
    // Prepare
    const batch = Array.from(
      { length: 12 },
      (_, i) =>
        bookingOfSubject({ seed: 62, gallerySeed: GALLERY_SEED }, i, {
          galleryIndex: i % 2 === 0 ? i : null,
          profile: 'good',
        }).booking,
    );

    // Act: submit, and restart DynamoDB while the bookings are in flight.
    const submitted = Promise.all(batch.map((booking) => postBooking(pipeline.apiUrl, booking, { attempts: 12 })));
    await eventually(async () => pipeline.stats.match.invocations > 0, 'the first search', 30_000);
    const { port } = dynamodb;
    await dynamodb.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    dynamodb = await startDynamoDbLocal({ port, dbPath });
    const answers = await submitted;
    await awaitSettled(pipeline.clients, pipeline.resources, { timeoutMs: 120_000 });

    // Assess
    expect(answers.map((a) => a.status)).toEqual(batch.map(() => 202));
    expect(pipeline.faults.counts.callsFailed).toBeGreaterThan(0);
    const audit = await auditDelivery(
      pipeline.clients,
      pipeline.resources,
      batch.map((b) => b.submissionId),
    );
    expect(audit).toMatchObject({ lost: [], duplicated: [], deadLetterCopies: 0 });
    expect(audit.recorded + audit.deadLettered).toBe(batch.length);
    for (const letter of audit.deadLetters) expect(letter.reason).toBe('retries-exhausted');
  });
});
