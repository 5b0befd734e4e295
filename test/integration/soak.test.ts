import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '#local/local-pipeline';
import { runSoak, type SoakReport } from '#local/harness/soak';
import { startTestPipeline } from './helpers';

/**
 * The soak run of `npm run soak`, small: bookings through the API and the pipeline while 5% of the
 * handlers' DynamoDB and SQS calls fail at random, poison messages among them, then the audit.
 */
describe('soak (small)', () => {
  let pipeline: LocalPipeline;
  let report: SoakReport;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ retryDelaySeconds: 11, functionTimeoutSeconds: 10 });
    report = await runSoak(pipeline, {
      bookings: 150,
      galleryIdentities: 200,
      faultRate: 0.05,
      poisonRate: 0.03,
      concurrency: 8,
      seed: 150,
      drainTimeoutSeconds: 240,
    });
  }, 400_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('loses nothing and duplicates nothing', () => {
    expect(report.audit.lost).toEqual([]);
    expect(report.audit.duplicated).toEqual([]);
    expect(report.audit.strays).toBe(0);
    expect(report.audit.recorded).toBe(report.submitted.bookings);
  });

  it('dead-letters every poison message once, with its reason', () => {
    expect(report.submitted.poison).toBeGreaterThan(0);
    expect(report.audit.deadLettered).toBe(report.submitted.poison);
    expect(report.audit.deadLetters.every((letter) => letter.reason === 'poison')).toBe(true);
  });

  it('ran with the faults it claims: about 5% of calls failed and were retried', () => {
    const injected = Object.values(report.faults.injected).reduce(
      (sum, perKind) => sum + Object.values(perKind).reduce((a, b) => a + b, 0),
      0,
    );
    const calls = report.faults.calls.dynamodb + report.faults.calls.sqs;
    expect(injected / calls).toBeGreaterThan(0.03);
    expect(injected / calls).toBeLessThan(0.08);
    expect(report.retries.sdk).toBeGreaterThan(0);
  });
});
