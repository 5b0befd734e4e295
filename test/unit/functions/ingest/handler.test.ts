import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '#runtime/environment-variables';
import { bookingHash } from '#functions/ingest/booking-hash';
import { ingestBooking } from '#functions/ingest/handler';
import { bookingOfSubject } from '#simulation/synthetic-bookings';

/**
 * Edge cases a real service cannot be made to produce on demand: a crash between registering a
 * submission and enqueueing it. (The ordinary paths run against the emulators in test/integration.)
 */
describe('ingest: registered but never enqueued', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  const { booking } = bookingOfSubject({ seed: 5, gallerySeed: 5 }, 0, { galleryIndex: null, profile: 'good' });
  const event = { body: JSON.stringify(booking), isBase64Encoded: false } as APIGatewayProxyEventV2;

  beforeEach(() => {
    dynamo.reset();
    sqs.reset();
    process.env[ENV.recordsTableName] = 'records';
    process.env[ENV.bookingsQueueUrl] = 'https://sqs.us-east-1.amazonaws.com/000000000000/bookings';
  });

  it('fails loudly when the queue is down, leaving the submission to be enqueued on retry', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));

    // Act / Assess
    await expect(ingestBooking(event)).rejects.toThrow('queue unavailable');
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('enqueues a resubmission whose first attempt never reached the queue', async () => {
    // Prepare
    dynamo
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }))
      .on(GetCommand)
      .resolves({ Item: { bookingHash: bookingHash(booking), enqueued: false } })
      .on(UpdateCommand)
      .resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    // Act
    const answer = await ingestBooking(event);

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.UpdateExpression).toContain('enqueued');
  });

  it('does not enqueue a resubmission that already reached the queue', async () => {
    // Prepare
    dynamo
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }))
      .on(GetCommand)
      .resolves({ Item: { bookingHash: bookingHash(booking), enqueued: true } });

    // Act
    const answer = await ingestBooking(event);

    // Assess
    expect(answer.statusCode).toBe(202);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
