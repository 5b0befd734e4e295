import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { seedGallery } from '#simulation/gallery-seeder';
import { mapWithConcurrency } from '#runtime/concurrency';
import { createRng } from '#simulation/random';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '#simulation/synthetic-bookings';
import { postBooking } from './api-client';
import { auditDelivery, awaitSettled, type DeliveryAudit } from './delivery-audit';
import type { FaultCounts } from './faults/fault-injector';
import type { LocalPipeline } from '#local/local-pipeline';

export interface SoakOptions {
  bookings: number;
  galleryIdentities: number;
  /** Fraction of the handlers' DynamoDB and SQS calls that fail (throttling, 500s, timeouts after sending). */
  faultRate: number;
  /** Fraction of submissions that are poison messages put straight on the bookings queue. */
  poisonRate: number;
  /** Submissions in flight at once. */
  concurrency: number;
  seed: number;
  /** Seconds to wait for the queues to drain after the last submission. */
  drainTimeoutSeconds: number;
  onProgress?: (submitted: number) => void;
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  bookings: 20_000,
  galleryIdentities: 1_000,
  faultRate: 0.05,
  poisonRate: 0.005,
  concurrency: 16,
  seed: 20_000,
  drainTimeoutSeconds: 1_800,
};

export interface SoakReport {
  options: Omit<SoakOptions, 'onProgress'>;
  audit: DeliveryAudit;
  /** Bookings through the API (202) and poison messages put on the queue. */
  submitted: { bookings: number; poison: number };
  retries: {
    /** Attempts the SDK retried inside the handlers' calls. */
    sdk: number;
    /** Messages received again after a failed or unfinished receive. */
    redeliveries: number;
    /** API calls a jail's client repeated after a 5xx. */
    resubmissions: number;
  };
  faults: FaultCounts;
  wallSeconds: number;
  bookingsPerSecond: number;
}

/** Bad messages of the kinds a broken producer sends; each must end in the DLQ with its reason. */
function poisonBody(kind: number, submissionId: string): string {
  switch (kind % 3) {
    case 0:
      return '{"submissionId": "truncated';
    case 1:
      return JSON.stringify({ submissionId, ori: 'NOT-AN-ORI', fingers: 'none' });
    default:
      return JSON.stringify([submissionId]);
  }
}

/**
 * The soak run: bookings through the local pipeline with a fraction of the handlers' AWS calls
 * failing at random, then the audit: every submission has exactly one record or one dead letter.
 */
export async function runSoak(pipeline: LocalPipeline, options: SoakOptions): Promise<SoakReport> {
  await seedGallery({
    tableName: pipeline.resources.tables.gallery,
    count: options.galleryIdentities,
    seed: options.seed,
  });
  const rng = createRng(options.seed).fork('soak');
  const plan = Array.from({ length: options.bookings }, (_, index) => ({
    index,
    poison: rng.bool(options.poisonRate),
  }));

  pipeline.faults.resetCounts();
  pipeline.faults.set({ dynamodb: { rate: options.faultRate }, sqs: { rate: options.faultRate } });
  const redeliveredBefore = pipeline.stats.match.redelivered + pipeline.stats.decide.redelivered;
  const started = performance.now();
  let done = 0;
  let resubmissions = 0;
  const ids = await mapWithConcurrency(plan, options.concurrency, async ({ index, poison }) => {
    const { booking } = syntheticBooking(
      {
        seed: options.seed + 1,
        gallerySeed: options.seed,
        gallerySize: options.galleryIdentities,
        matedShare: NATIONAL_MATCH_SHARE,
      },
      index,
    );
    if (poison) {
      await pipeline.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: pipeline.resources.queues.bookings.url,
          MessageBody: poisonBody(index, booking.submissionId),
          MessageAttributes: { submissionId: { DataType: 'String', StringValue: booking.submissionId } },
        }),
      );
    } else {
      const answer = await postBooking(pipeline.apiUrl, booking, { attempts: 12 });
      resubmissions += answer.attempts - 1;
      if (answer.status !== 202) throw new Error(`Booking ${index} was answered ${answer.status}`);
    }
    options.onProgress?.(++done);
    return { id: booking.submissionId, poison };
  });
  await awaitSettled(pipeline.clients, pipeline.resources, { timeoutMs: options.drainTimeoutSeconds * 1000 });
  const wallSeconds = (performance.now() - started) / 1000;
  pipeline.faults.clear();

  const audit = await auditDelivery(
    pipeline.clients,
    pipeline.resources,
    ids.map((i) => i.id),
  );
  const { onProgress: _ignored, ...reported } = options;
  const poisonCount = ids.filter((i) => i.poison).length;
  return {
    options: reported,
    audit,
    submitted: { bookings: ids.length - poisonCount, poison: poisonCount },
    retries: {
      sdk: pipeline.faults.counts.sdkRetries,
      redeliveries: pipeline.stats.match.redelivered + pipeline.stats.decide.redelivered - redeliveredBefore,
      resubmissions,
    },
    faults: structuredClone(pipeline.faults.counts),
    wallSeconds,
    bookingsPerSecond: ids.length / wallSeconds,
  };
}

/** The report as the lines `npm run soak` prints. */
export function soakSummary(report: SoakReport): string[] {
  const { audit, retries, faults } = report;
  const injected = Object.values(faults.injected).reduce(
    (sum, perKind) => sum + Object.values(perKind).reduce((a, b) => a + b, 0),
    0,
  );
  const calls = faults.calls.dynamodb + faults.calls.sqs;
  return [
    `submitted:     ${audit.submitted} (${report.submitted.bookings} bookings through the API, ${report.submitted.poison} poison messages on the queue)`,
    `records:       ${audit.recorded}`,
    `dead letters:  ${audit.deadLettered} (${Object.entries(audit.deadLetterReasons)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ')}; ${audit.deadLetterCopies} extra copies)`,
    `lost:          ${audit.lost.length}`,
    `duplicated:    ${audit.duplicated.length}`,
    `faults:        ${injected} injected into ${calls} DynamoDB and SQS calls (${((100 * injected) / Math.max(1, calls)).toFixed(2)}%); ${faults.callsFailed} calls ended in an error after the SDK's retries (conditional-check failures of repeated writes included)`,
    `retries:       ${retries.sdk + retries.redeliveries + retries.resubmissions} (SDK ${retries.sdk}, SQS redeliveries ${retries.redeliveries}, API resubmissions ${retries.resubmissions})`,
    `wall time:     ${report.wallSeconds.toFixed(1)} s`,
    `throughput:    ${report.bookingsPerSecond.toFixed(1)} submissions/s`,
  ];
}
