import { DynamoDBClient, PutItemCommand, BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  CallCounter,
  capacityOf,
  diffCounts,
  eventEntryBytes,
  sqsBilledRequests,
  sqsMessageBytes,
} from '#bench/pipeline/cost-counter';

const credentials = { accessKeyId: 'unit', secretAccessKey: 'unit' };
const EVENTS = 'http://127.0.0.1:1/000000000000/events';
const AUDIT = 'http://127.0.0.1:1/000000000000/audit';

/** Answers every call with `output` before anything is serialised or sent; keeps the inputs it saw. */
function fakeService<T extends SQSClient | DynamoDBClient>(
  client: T,
  output: (input: Record<string, unknown>) => object,
) {
  const inputs: Array<Record<string, unknown>> = [];
  (client.middlewareStack as unknown as { add: (m: unknown, o: object) => void }).add(
    () => async (args: { input: Record<string, unknown> }) => {
      inputs.push(args.input);
      return { output: { $metadata: { attempts: 1 }, ...output(args.input) }, response: {} };
    },
    { step: 'serialize', priority: 'high', name: 'fakeService' },
  );
  return inputs;
}

describe('SQS billing units', () => {
  it('bills each 64 KB chunk of a payload as a request, and at least one', () => {
    expect(sqsBilledRequests(0)).toBe(1);
    expect(sqsBilledRequests(1)).toBe(1);
    expect(sqsBilledRequests(65_536)).toBe(1);
    expect(sqsBilledRequests(65_537)).toBe(2);
    expect(sqsBilledRequests(256 * 1024)).toBe(4);
  });

  it('counts a message as its body and its attributes (name, type and value)', () => {
    expect(sqsMessageBytes('héllo')).toBe(6);
    expect(sqsMessageBytes('ab', { id: { DataType: 'String', StringValue: 'xyz' } })).toBe(2 + 2 + 6 + 3);
  });

  it('sizes an EventBridge entry as source + detail-type + detail', () => {
    expect(eventEntryBytes('a.b', 'Type', '{"x":1}')).toBe(3 + 4 + 7);
  });
});

describe('capacityOf', () => {
  it('reads a read operation as read units and a write as write units with the index share', () => {
    expect(capacityOf('GetItem', { CapacityUnits: 0.5 })).toEqual({ read: 0.5, write: 0, indexWrite: 0 });
    expect(capacityOf('BatchGetItem', [{ CapacityUnits: 3 }, { CapacityUnits: 1.5 }])).toEqual({
      read: 4.5,
      write: 0,
      indexWrite: 0,
    });
    expect(
      capacityOf('TransactWriteItems', [
        { CapacityUnits: 20, GlobalSecondaryIndexes: { a: { CapacityUnits: 6 }, b: { CapacityUnits: 6 } } },
      ]),
    ).toEqual({ read: 0, write: 20, indexWrite: 12 });
    expect(capacityOf('PutItem', undefined)).toEqual({ read: 0, write: 0, indexWrite: 0 });
  });
});

describe('CallCounter', () => {
  it('counts SQS sends in 64 KB chunks and receives, empty ones apart', async () => {
    const counter = new CallCounter({ eventsQueueUrl: EVENTS, auditQueueUrl: AUDIT });
    const client = new SQSClient({ region: 'us-east-1', credentials, md5: false });
    counter.instrument(client, 'sqs');
    let receives = 0;
    fakeService(client, (input) =>
      'MessageBody' in input || receives++ > 0
        ? {}
        : { Messages: [{ Body: 'x'.repeat(70_000) }, { Body: 'y'.repeat(10) }] },
    );
    counter.enabled = true;
    await client.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: 'x'.repeat(70_000) }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    expect(counter.counts['sqs.SendMessage']).toMatchObject({ calls: 1, billed: 2, items: 1, bytes: 70_000 });
    expect(counter.counts['sqs.ReceiveMessage']).toMatchObject({
      calls: 2,
      billed: 2 + 1,
      items: 2,
      bytes: 70_010,
      emptyReceives: 1,
    });
  });

  it('counts the stand-in queues as EventBridge events and audit log events', async () => {
    const counter = new CallCounter({ eventsQueueUrl: EVENTS, auditQueueUrl: AUDIT });
    const client = new SQSClient({ region: 'us-east-1', credentials, md5: false });
    counter.instrument(client, 'sqs');
    fakeService(client, () => ({}));
    counter.enabled = true;
    const detail = { submissionId: 's', type: 'no-action' };
    await client.send(
      new SendMessageCommand({
        QueueUrl: EVENTS,
        MessageBody: JSON.stringify({ source: 'sc-pipeline.decide', 'detail-type': 'OutcomeRecordWritten', detail }),
      }),
    );
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: AUDIT,
        Entries: [
          { Id: '0', MessageBody: 'abcd' },
          { Id: '1', MessageBody: 'ef' },
        ],
      }),
    );
    expect(counter.counts['sqs.SendMessage']).toBeUndefined();
    expect(counter.counts['eventbridge.PutEvents']).toMatchObject({
      calls: 1,
      billed: 1,
      items: 1,
      bytes: 'sc-pipeline.decide'.length + 'OutcomeRecordWritten'.length + JSON.stringify(detail).length,
    });
    expect(counter.counts['logs.PutLogEvents']).toMatchObject({ calls: 1, items: 2, bytes: 4 + 26 + 2 + 26 });
  });

  it('asks DynamoDB for consumed capacity and sums it', async () => {
    const counter = new CallCounter();
    const client = new DynamoDBClient({ region: 'us-east-1', credentials });
    counter.instrument(client, 'dynamodb');
    const inputs = fakeService(client, (input) =>
      'RequestItems' in input
        ? { Responses: {}, ConsumedCapacity: [{ TableName: 't', CapacityUnits: 7.5 }] }
        : {
            ConsumedCapacity: {
              TableName: 't',
              CapacityUnits: 9,
              GlobalSecondaryIndexes: { a: { CapacityUnits: 3 }, b: { CapacityUnits: 3 } },
            },
          },
    );
    counter.enabled = true;
    await client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } }));
    await client.send(new BatchGetItemCommand({ RequestItems: { t: { Keys: [{ pk: { S: 'a' } }] } } }));
    expect(inputs.map((input) => input.ReturnConsumedCapacity)).toEqual(['INDEXES', 'INDEXES']);
    expect(counter.counts['dynamodb.PutItem']).toMatchObject({ calls: 1, writeUnits: 9, indexWriteUnits: 6 });
    expect(counter.counts['dynamodb.BatchGetItem']).toMatchObject({ calls: 1, readUnits: 7.5 });
  });

  it('counts nothing while disabled, instruments a client once, and diffs snapshots', async () => {
    const counter = new CallCounter();
    const client = new SQSClient({ region: 'us-east-1', credentials, md5: false });
    expect(counter.instrument(client, 'sqs-poller')).toBe(true);
    expect(counter.instrument(client, 'sqs-poller')).toBe(false);
    fakeService(client, () => ({}));
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    expect(counter.counts).toEqual({});
    counter.enabled = true;
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    const before = counter.snapshot();
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }));
    expect(counter.counts['sqs-poller.ReceiveMessage']?.calls).toBe(3);
    expect(diffCounts(counter.snapshot(), before)['sqs-poller.ReceiveMessage']).toMatchObject({
      calls: 2,
      emptyReceives: 2,
    });
  });
});
