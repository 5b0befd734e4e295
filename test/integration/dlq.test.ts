import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import {
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { REDRIVE_POLICY_REASON, inspectDeadLetter, listDeadLetters } from '#cli/ops/dead-letters/read';
import { redriveDeadLetters } from '#cli/ops/dead-letters/redrive';
import {
  DEAD_LETTER_ATTRIBUTE,
  DeadLetterInfoSchema,
  SUBMISSION_ID_ATTRIBUTE,
  type DeadLetterReason,
} from '#runtime/dead-letter';
import type { LocalQueue } from '#local/provision';
import type { LocalPipeline } from '#local/local-pipeline';
import { queueDepth, startTestPipeline } from './helpers';

/** Values of the fake bookings that must never appear in anything the tool returns or prints. */
const SECRETS = ['Zebulon', 'Quartermaine', '1961-07-23', '271.828182', '314.159265', '161.803398'];

/** A booking-shaped body: a fake name, a date of birth and minutiae, as a real dead letter would hold. */
function fakeBooking(submissionId: string): string {
  return JSON.stringify({
    submissionId,
    ori: 'XX0000000',
    bookingNumber: 'B-0001',
    subject: { name: { first: 'Zebulon', last: 'Quartermaine' }, dateOfBirth: '1961-07-23' },
    fingers: [
      {
        position: 2,
        template: {
          width: 500,
          height: 500,
          minutiae: [{ x: 271.828182, y: 314.159265, angle: 161.803398, type: 'ending', quality: 77 }],
        },
      },
    ],
  });
}

const expectNoSecrets = (output: string) => {
  for (const secret of SECRETS) expect(output).not.toContain(secret);
};

/** The pipeline's DLQs and source queues, read and redriven through the adapter and the CLI. */
describe('dead-letter queues: list, inspect, redrive', () => {
  const prefix = `it-dlq-${randomBytes(3).toString('hex')}`;
  let pipeline: LocalPipeline;
  let bookings: LocalQueue;
  let decisions: LocalQueue;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ consumers: false, prefix });
    ({ bookings, decisions } = pipeline.resources.queues);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });
  beforeEach(async () => {
    for (const url of [bookings.url, bookings.dlqUrl, decisions.url, decisions.dlqUrl]) {
      await pipeline.clients.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    }
  });

  /** Writes a dead letter as a handler does: the body, its submissionId and, if given, its reason. */
  async function putDeadLetter(
    queue: LocalQueue,
    submissionId: string,
    reason?: { reason: DeadLetterReason; receiveCount: number; fields?: string[]; sourceQueueArn?: string },
  ): Promise<string> {
    const attributes: Record<string, MessageAttributeValue> = {
      [SUBMISSION_ID_ATTRIBUTE]: { DataType: 'String', StringValue: submissionId },
    };
    if (reason) {
      const info = DeadLetterInfoSchema.parse({
        reason: reason.reason,
        errorName: reason.reason === 'poison' ? 'PoisonMessageError' : 'ProvisionedThroughputExceededException',
        ...(reason.fields ? { fields: reason.fields } : {}),
        sourceQueueArn: reason.sourceQueueArn ?? queue.arn,
        receiveCount: reason.receiveCount,
        functionName: `${prefix}-match`,
        failedAt: '2026-01-02T03:04:05.000Z',
      });
      attributes[DEAD_LETTER_ATTRIBUTE] = { DataType: 'String', StringValue: JSON.stringify(info) };
    }
    const sent = await pipeline.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.dlqUrl,
        MessageBody: fakeBooking(submissionId),
        MessageAttributes: attributes,
      }),
    );
    return sent.MessageId as string;
  }

  /** A message SQS itself moves to the DLQ: received maxReceiveCount times and never deleted. */
  async function deadLetterByRedrivePolicy(queue: LocalQueue, submissionId: string): Promise<void> {
    const before = await queueDepth(pipeline, queue.dlqUrl);
    await pipeline.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: fakeBooking(submissionId),
        MessageAttributes: { [SUBMISSION_ID_ATTRIBUTE]: { DataType: 'String', StringValue: submissionId } },
      }),
    );
    for (let receive = 0; receive <= queue.definition.maxReceiveCount; receive++) {
      await pipeline.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0, WaitTimeSeconds: 0 }),
      );
    }
    expect(await queueDepth(pipeline, queue.dlqUrl)).toBe(before + 1);
  }

  /** Receives and deletes everything in a queue, with the message attributes. */
  async function takeAll(queueUrl: string): Promise<Message[]> {
    const taken: Message[] = [];
    for (;;) {
      const result = await pipeline.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
        }),
      );
      if (!result.Messages?.length) return taken;
      for (const message of result.Messages) {
        taken.push(message);
        await pipeline.clients.sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle as string }),
        );
      }
    }
  }

  const redrive = (queue: LocalQueue, max?: number) =>
    redriveDeadLetters(pipeline.clients.sqs, {
      dlqUrl: queue.dlqUrl,
      dlqArn: queue.dlqArn,
      sourceUrl: queue.url,
      sourceArn: queue.arn,
      ...(max !== undefined ? { max } : {}),
      useMoveTask: false,
    });

  it('lists each dead letter with its submission id, reason and receive count, and leaves it in the queue', async () => {
    // Prepare
    await putDeadLetter(bookings, 'sub-poison', {
      reason: 'poison',
      receiveCount: 1,
      fields: ['subject.dateOfBirth', 'fingers.0.template.minutiae.0.x'],
    });
    await putDeadLetter(bookings, 'sub-retries', { reason: 'retries-exhausted', receiveCount: 3 });
    await deadLetterByRedrivePolicy(bookings, 'sub-moved');
    await putDeadLetter(decisions, 'sub-decision', { reason: 'poison', receiveCount: 1 });

    // Act
    const first = await listDeadLetters(pipeline.clients.sqs, bookings.dlqUrl, { max: 100 });
    const second = await listDeadLetters(pipeline.clients.sqs, bookings.dlqUrl, { max: 100 });
    const ofDecisions = await listDeadLetters(pipeline.clients.sqs, decisions.dlqUrl, { max: 100 });

    // Assess
    const bySubmission = new Map(first.map((letter) => [letter.submissionId, letter]));
    expect([...bySubmission.keys()].sort()).toEqual(['sub-moved', 'sub-poison', 'sub-retries']);
    expect(bySubmission.get('sub-poison')).toMatchObject({
      reason: 'poison',
      errorName: 'PoisonMessageError',
      fields: ['subject.dateOfBirth', 'fingers.0.template.minutiae.0.x'],
      receiveCount: 1,
      sourceQueueArn: bookings.arn,
      deadLetteredAt: '2026-01-02T03:04:05.000Z',
    });
    expect(bySubmission.get('sub-retries')).toMatchObject({ reason: 'retries-exhausted', receiveCount: 3 });
    const moved = bySubmission.get('sub-moved');
    expect(moved?.reason).toBe(REDRIVE_POLICY_REASON);
    expect(moved?.deadLetteredAt).toBeUndefined();
    // The receives on the source queue, and the peek's own.
    expect(moved?.receiveCount).toBeGreaterThan(bookings.definition.maxReceiveCount);
    expect(second.map((letter) => letter.messageId).sort()).toEqual(first.map((letter) => letter.messageId).sort());
    expect(await queueDepth(pipeline, bookings.dlqUrl)).toBe(3);
    expect(ofDecisions.map((letter) => letter.submissionId)).toEqual(['sub-decision']);
    expectNoSecrets(JSON.stringify([first, second, ofDecisions]));
  });

  it('lists at most --max dead letters, each once, and walks past ten', async () => {
    // Prepare
    for (let index = 0; index < 14; index++) {
      await putDeadLetter(bookings, `sub-${index}`, { reason: 'retries-exhausted', receiveCount: 3 });
    }

    // Act
    const all = await listDeadLetters(pipeline.clients.sqs, bookings.dlqUrl, { max: 100 });
    const some = await listDeadLetters(pipeline.clients.sqs, bookings.dlqUrl, { max: 5 });

    // Assess
    expect(new Set(all.map((letter) => letter.messageId)).size).toBe(14);
    expect(all).toHaveLength(14);
    expect(some).toHaveLength(5);
    expect(await queueDepth(pipeline, bookings.dlqUrl)).toBe(14);
  });

  it('inspects one dead letter: its reason, the body size and top-level field names, never a value', async () => {
    // Prepare
    const messageId = await putDeadLetter(bookings, 'sub-inspect', {
      reason: 'poison',
      receiveCount: 1,
      fields: ['subject.dateOfBirth'],
    });
    await putDeadLetter(bookings, 'sub-other', { reason: 'retries-exhausted', receiveCount: 3 });

    // Act
    const detail = await inspectDeadLetter(pipeline.clients.sqs, bookings.dlqUrl, messageId);
    const missing = await inspectDeadLetter(pipeline.clients.sqs, bookings.dlqUrl, randomUUID());

    // Assess
    expect(detail).toMatchObject({
      messageId,
      submissionId: 'sub-inspect',
      reason: 'poison',
      functionName: `${prefix}-match`,
      bodyBytes: Buffer.byteLength(fakeBooking('sub-inspect')),
      bodyFormat: 'json-object',
      bodyFields: ['bookingNumber', 'fingers', 'ori', 'subject', 'submissionId'],
      otherBodyKeys: 0,
    });
    expect(missing).toBeUndefined();
    expectNoSecrets(JSON.stringify(detail));
    expect(await queueDepth(pipeline, bookings.dlqUrl)).toBe(2);
  });

  it('redrives every dead letter with its body intact and without the deadLetter attribute; twice moves nothing more', async () => {
    // Prepare
    await putDeadLetter(bookings, 'sub-a', { reason: 'poison', receiveCount: 1, fields: ['ori'] });
    await putDeadLetter(bookings, 'sub-b', { reason: 'retries-exhausted', receiveCount: 3 });
    await deadLetterByRedrivePolicy(bookings, 'sub-c');

    // Act
    const first = await redrive(bookings);
    const second = await redrive(bookings);

    // Assess
    expect(first).toEqual({ kind: 'copied', moved: 3, skipped: 0, failed: 0, errors: [] });
    expect(second).toEqual({ kind: 'copied', moved: 0, skipped: 0, failed: 0, errors: [] });
    expect(await queueDepth(pipeline, bookings.dlqUrl)).toBe(0);
    const back = await takeAll(bookings.url);
    expect(back).toHaveLength(3);
    for (const message of back) {
      const submissionId = message.MessageAttributes?.[SUBMISSION_ID_ATTRIBUTE]?.StringValue as string;
      expect(message.Body).toBe(fakeBooking(submissionId));
      expect(Object.keys(message.MessageAttributes ?? {})).toEqual([SUBMISSION_ID_ATTRIBUTE]);
    }
    expect(back.map((m) => m.MessageAttributes?.[SUBMISSION_ID_ATTRIBUTE]?.StringValue).sort()).toEqual([
      'sub-a',
      'sub-b',
      'sub-c',
    ]);
  });

  it('moves exactly N with --max, the rest on the next run, and nothing on the run after', async () => {
    // Prepare
    for (let index = 0; index < 5; index++) {
      await putDeadLetter(decisions, `sub-${index}`, { reason: 'retries-exhausted', receiveCount: 3 });
    }

    // Act
    const limited = await redrive(decisions, 2);
    const depths = [await queueDepth(pipeline, decisions.dlqUrl), await queueDepth(pipeline, decisions.url)];
    const rest = await redrive(decisions);
    const again = await redrive(decisions);

    // Assess
    expect(limited).toMatchObject({ kind: 'copied', moved: 2 });
    expect(depths).toEqual([3, 2]);
    expect(rest).toMatchObject({ kind: 'copied', moved: 3 });
    expect(again).toMatchObject({ kind: 'copied', moved: 0 });
    const back = await takeAll(decisions.url);
    expect(back.map((m) => m.MessageAttributes?.[SUBMISSION_ID_ATTRIBUTE]?.StringValue).sort()).toEqual([
      'sub-0',
      'sub-1',
      'sub-2',
      'sub-3',
      'sub-4',
    ]);
    expect(await queueDepth(pipeline, decisions.dlqUrl)).toBe(0);
  });

  it('leaves a dead letter that came from another queue in the DLQ', async () => {
    // Prepare
    await putDeadLetter(bookings, 'sub-stray', {
      reason: 'poison',
      receiveCount: 1,
      sourceQueueArn: decisions.arn,
    });
    await putDeadLetter(bookings, 'sub-own', { reason: 'poison', receiveCount: 1 });

    // Act
    const result = await redrive(bookings);

    // Assess
    expect(result).toMatchObject({ kind: 'copied', moved: 1, skipped: 1 });
    expect(await queueDepth(pipeline, bookings.url)).toBe(1);
    const left = await listDeadLetters(pipeline.clients.sqs, bookings.dlqUrl, { max: 10 });
    expect(left.map((letter) => letter.submissionId)).toEqual(['sub-stray']);
  });

  it('sc-pipeline dlq list prints the submission ids and reasons, and no body data', async () => {
    // Prepare
    await putDeadLetter(bookings, 'sub-cli-poison', { reason: 'poison', receiveCount: 1, fields: ['ori'] });
    await putDeadLetter(decisions, 'sub-cli-retries', { reason: 'retries-exhausted', receiveCount: 3 });
    await deadLetterByRedrivePolicy(bookings, 'sub-cli-moved');

    // Act
    const { stdout, stderr } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'cli/sc-pipeline.ts',
        'dlq',
        'list',
        '--local',
        '--prefix',
        prefix,
        '--sqs-endpoint',
        inject('sqsEndpoint'),
      ],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );

    // Assess
    expect(stdout).toMatch(/^bookings: 2 dead letters/m);
    expect(stdout).toMatch(/^decisions: 1 dead letter,/m);
    expect(stdout).toMatch(/bookings\s+\S+\s+sub-cli-poison\s+poison\s+PoisonMessageError\s+ori\s+1\s/);
    expect(stdout).toMatch(/decisions\s+\S+\s+sub-cli-retries\s+retries-exhausted\s+/);
    expect(stdout).toContain('sub-cli-moved');
    expect(stdout).toContain(REDRIVE_POLICY_REASON);
    expectNoSecrets(stdout + stderr);
    expect(await queueDepth(pipeline, bookings.dlqUrl)).toBe(2);
  });
});
