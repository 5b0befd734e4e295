import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sqsBatchHandler } from '#runtime/sqs-batch';

const record = (messageId: string, submissionId: string): SQSRecord =>
  ({
    messageId,
    body: '{}',
    attributes: { ApproximateReceiveCount: '1' },
    messageAttributes: { submissionId: { stringValue: submissionId, dataType: 'String' } },
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
  }) as unknown as SQSRecord;
const context = { functionName: 'f', awsRequestId: 'r' } as Context;
const noDeadLetters = () => ({});

/** Which records of a batch run at the same time. */
async function overlaps(oneAtATimePerBooking: boolean): Promise<{ max: Record<string, number>; order: string[] }> {
  const running = new Map<string, number>();
  const max: Record<string, number> = {};
  const order: string[] = [];
  const handler = sqsBatchHandler(
    async (r) => {
      const id = r.messageAttributes.submissionId?.stringValue ?? '';
      running.set(id, (running.get(id) ?? 0) + 1);
      max[id] = Math.max(max[id] ?? 0, running.get(id) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(r.messageId);
      running.set(id, (running.get(id) ?? 1) - 1);
      if (r.messageId === 'a1') throw new Error('first copy fails');
    },
    { deadLetters: noDeadLetters, oneAtATimePerBooking },
  );
  const event: SQSEvent = { Records: [record('a1', 'A'), record('b1', 'B'), record('a2', 'A'), record('b2', 'B')] };
  const response = await handler(event, context);
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a1' }]);
  return { max, order };
}

describe('sqsBatchHandler', () => {
  it('runs one booking’s records one after another, other bookings’ alongside, and a failure does not stop the next copy', async () => {
    // Act
    const { max, order } = await overlaps(true);

    // Assess
    expect(max).toEqual({ A: 1, B: 1 });
    expect(order.indexOf('a1')).toBeLessThan(order.indexOf('a2'));
    expect(order.indexOf('a2')).toBeGreaterThan(order.indexOf('b1'));
  });

  it('runs every record at once without it', async () => {
    // Act
    const { max } = await overlaps(false);

    // Assess
    expect(max).toEqual({ A: 2, B: 2 });
  });
});
