import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
  StartMessageMoveTaskCommand,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { redriveDeadLetters, type RedriveOptions } from '#cli/ops/dead-letters/redrive';

const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:ScPipelineStateful-BookingsDlq';
const SOURCE_ARN = 'arn:aws:sqs:us-east-1:123456789012:ScPipelineStateful-Bookings';
const options: RedriveOptions = {
  dlqUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ScPipelineStateful-BookingsDlq',
  dlqArn: DLQ_ARN,
  sourceUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ScPipelineStateful-Bookings',
  sourceArn: SOURCE_ARN,
  useMoveTask: true,
};

/** What SQS answers to a second StartMessageMoveTask while the first still runs (not modelled by the SDK). */
const taskAlreadyRunning = () =>
  new SQSServiceException({
    name: 'InvalidParameterValue',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
  });

const deadLetter = {
  MessageId: 'm-1',
  ReceiptHandle: 'rh-1',
  Body: '{"submissionId":"s-1","subject":{"name":"x"}}',
  MessageAttributes: {
    submissionId: { DataType: 'String', StringValue: 's-1' },
    deadLetter: {
      DataType: 'String',
      StringValue: JSON.stringify({
        reason: 'retries-exhausted',
        errorName: 'ProvisionedThroughputExceededException',
        sourceQueueArn: SOURCE_ARN,
        receiveCount: 3,
        functionName: 'match',
        failedAt: '2026-01-02T03:04:05.000Z',
      }),
    },
  },
};

/** The AWS path of the redrive: SQS's message-move task, which no emulator implements. */
describe('dead-letter redrive on AWS', () => {
  const sqsMock = mockClient(SQSClient);
  const sqs = new SQSClient({});

  beforeEach(() => {
    sqsMock.reset();
  });

  it('starts a message-move task from the DLQ to the source queue when there is no --max', async () => {
    // Prepare
    sqsMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });

    // Act
    const result = await redriveDeadLetters(sqs, options);

    // Assess
    expect(result).toEqual({ kind: 'move-task-started', taskHandle: 'task-1' });
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand).map((call) => call.args[0].input)).toEqual([
      { SourceArn: DLQ_ARN, DestinationArn: SOURCE_ARN },
    ]);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it.each([
    ['InvalidParameterValue, as SQS answers', taskAlreadyRunning],
    [
      'UnsupportedOperation',
      () => new UnsupportedOperation({ $metadata: {}, message: 'There is already a task running.' }),
    ],
  ])('reports a task already running (%s) instead of failing', async (_, error) => {
    // Prepare
    sqsMock.on(StartMessageMoveTaskCommand).rejects(error());
    sqsMock.on(ListMessageMoveTasksCommand).resolves({
      Results: [
        { Status: 'COMPLETED', SourceArn: DLQ_ARN, ApproximateNumberOfMessagesMoved: 4 },
        {
          TaskHandle: 'task-running',
          Status: 'RUNNING',
          SourceArn: DLQ_ARN,
          DestinationArn: SOURCE_ARN,
          ApproximateNumberOfMessagesMoved: 10,
          ApproximateNumberOfMessagesToMove: 25,
          StartedTimestamp: Date.parse('2026-01-02T03:00:00.000Z'),
        },
      ],
    });

    // Act
    const result = await redriveDeadLetters(sqs, options);

    // Assess
    expect(result).toEqual({
      kind: 'move-task-running',
      task: {
        taskHandle: 'task-running',
        status: 'RUNNING',
        moved: 10,
        toMove: 25,
        startedAt: '2026-01-02T03:00:00.000Z',
      },
    });
    expect(sqsMock.commandCalls(ListMessageMoveTasksCommand)[0]?.args[0].input).toMatchObject({ SourceArn: DLQ_ARN });
  });

  it('throws an InvalidParameterValue that is not about a running task', async () => {
    // Prepare
    sqsMock.on(StartMessageMoveTaskCommand).rejects(
      new SQSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Source queue must be configured as a Dead Letter Queue.',
      }),
    );
    sqsMock.on(ListMessageMoveTasksCommand).resolves({ Results: [{ Status: 'COMPLETED', SourceArn: DLQ_ARN }] });

    // Act
    const redrive = redriveDeadLetters(sqs, options);

    // Assess
    await expect(redrive).rejects.toThrow('Source queue must be configured as a Dead Letter Queue.');
  });

  it('with --max copies instead: sends the message back without its deadLetter attribute, then deletes it', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter] })
      .resolves({ Messages: [] });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-2' });
    sqsMock.on(DeleteMessageCommand).resolves({});

    // Act
    const result = await redriveDeadLetters(sqs, { ...options, max: 1 });

    // Assess
    expect(result).toEqual({ kind: 'copied', moved: 1, skipped: 0, failed: 0, errors: [] });
    expect(sqsMock.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({ MaxNumberOfMessages: 1 });
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: options.sourceUrl,
      MessageBody: deadLetter.Body,
      MessageAttributes: { submissionId: { DataType: 'String', StringValue: 's-1' } },
    });
    const calls = sqsMock.calls().map((call) => call.args[0].constructor.name);
    expect(calls.indexOf('SendMessageCommand')).toBeLessThan(calls.indexOf('DeleteMessageCommand'));
  });

  it('keeps a dead letter whose copy could not be sent, and shows it again', async () => {
    // Prepare
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter] })
      .resolves({ Messages: [] });
    sqsMock.on(SendMessageCommand).rejects(
      new SQSServiceException({
        name: 'KmsAccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'no access to the key',
      }),
    );
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [{ Id: 'm0' }], Failed: [] });

    // Act
    const result = await redriveDeadLetters(sqs, { ...options, max: 5 });

    // Assess
    expect(result).toEqual({
      kind: 'copied',
      moved: 0,
      skipped: 0,
      failed: 1,
      errors: ['send: KmsAccessDenied: no access to the key'],
    });
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([
      { Id: 'm0', ReceiptHandle: 'rh-1', VisibilityTimeout: 0 },
    ]);
  });
});
