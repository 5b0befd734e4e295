import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { registerLocalAuditSink } from '#adapters/audit-trail';
import { ENV } from '#runtime/environment-variables';
import { decideMatch } from '#functions/decide/handler';
import { decide } from '#core/policy/decide';
import { getPolicy } from '#core/policy/registry';
import { auditQueueSink } from '#local/audit-queue-sink';
import { matchResult, NOW } from '#test/unit/functions/core/policy/fixtures';

const sqsRecord = (body: string): SQSRecord =>
  ({
    messageId: 'm-1',
    body,
    attributes: { ApproximateReceiveCount: '2' },
    messageAttributes: {},
  }) as unknown as SQSRecord;
const context = { functionName: 'decide', awsRequestId: 'r-1' } as Context;

/**
 * The decide step's outbox: a redelivered match result whose record was written but whose event may
 * not have been published. A crash between the two cannot be staged against the emulators.
 */
describe('decide: redelivery after a partial first attempt', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  const match = matchResult({ outcome: 'no-match' });
  const firstRecord = decide(match, getPolicy('sc-2011'), { now: NOW });
  const alreadyWritten = new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
  });

  beforeEach(() => {
    dynamo.reset();
    sqs.reset();
    process.env[ENV.recordsTableName] = 'records';
    process.env[ENV.localEventsQueueUrl] = 'http://127.0.0.1:1/000000000000/events';
    process.env[ENV.localAuditQueueUrl] = 'http://127.0.0.1:1/000000000000/audit';
    registerLocalAuditSink(auditQueueSink);
    dynamo.on(TransactWriteCommand).rejects(alreadyWritten).on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'e-1' }).on(SendMessageBatchCommand).resolves({ Successful: [] });
  });

  it('publishes the stored record (not a new decision) when its event never went out', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({ Item: { record: firstRecord, auditLoggedAt: NOW.toISOString() } });

    // Act
    await decideMatch(sqsRecord(JSON.stringify(match)), context);

    // Assess
    const sent = sqs.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.args[0].input.MessageBody ?? '{}').detail).toEqual(firstRecord);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('enters the stored record in the audit trail, and only there, when that step never happened', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({ Item: { record: firstRecord, eventPublishedAt: NOW.toISOString() } });

    // Act
    await decideMatch(sqsRecord(JSON.stringify(match)), context);

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((entry) => JSON.parse(entry.MessageBody ?? '{}'))).toEqual([
      expect.objectContaining({
        action: 'RECORD_WRITTEN',
        actor: 'decide',
        trigger: 'booking',
        submissionId: firstRecord.submissionId,
        recordVersion: 1,
        outcome: firstRecord.type,
        at: firstRecord.decidedAt,
      }),
    ]);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeNames).toEqual({
      '#step': 'auditLoggedAt',
    });
  });

  it('publishes nothing when the first attempt finished', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({
      Item: { record: firstRecord, eventPublishedAt: NOW.toISOString(), auditLoggedAt: NOW.toISOString() },
    });

    // Act
    await decideMatch(sqsRecord(JSON.stringify(match)), context);

    // Assess
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('names a message that is not a match result as poison, without its content', async () => {
    // Act / Assess
    await expect(
      decideMatch(sqsRecord('{"booking":{"submissionId":"Secret-Name-123"}}'), context),
    ).rejects.toMatchObject({
      name: 'PoisonMessageError',
      message: expect.not.stringContaining('Secret-Name'),
    });
  });
});
