import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { SUBMISSION_ID_ATTRIBUTE, type DeadLetterReason } from '#runtime/dead-letter';
import { deadLetterAttributeOf, deadLetterInfoOfMessage, sourceQueueArnOf } from './attributes';
import { makeVisible, receive } from './queue';

/**
 * Listing and inspecting the pipeline's dead letters, for operators (`sc-pipeline dlq list` and
 * `inspect`), without consuming them.
 *
 * Nothing here returns a message body: a body is a booking (fingerprints, names) or a match result,
 * personal and biometric data. What is shown comes from the message attributes (`submissionId`,
 * `deadLetter`) and the system attributes; `inspectDeadLetter` adds the body's size and its
 * top-level field names, never a value.
 */

/** The reason shown for a message SQS moved by the source queue's redrive policy (no `deadLetter` attribute). */
export const REDRIVE_POLICY_REASON = "unknown (moved by the queue's redrive policy)";
/** The reason shown when a `deadLetter` attribute is there but is not a DeadLetterInfo. */
export const UNREADABLE_REASON = 'unknown (unreadable deadLetter attribute)';

export type ShownReason = DeadLetterReason | typeof REDRIVE_POLICY_REASON | typeof UNREADABLE_REASON;

/**
 * How long a peek hides the messages it received, while it walks the queue; they are made visible
 * again as soon as the walk ends (ChangeMessageVisibility to 0), or by themselves after this.
 */
export const PEEK_VISIBILITY_SECONDS = 30;

export interface DeadLetterSummary {
  messageId: string;
  /** From the `submissionId` message attribute; undefined if the sender did not set it. */
  submissionId: string | undefined;
  reason: ShownReason;
  /** The error's class, from the `deadLetter` attribute. */
  errorName: string | undefined;
  /** Paths of the wrong fields (poison messages), never their values. */
  fields: string[];
  /**
   * Receives on the source queue before it was dead-lettered (`deadLetter` attribute); for a message
   * SQS moved, its ApproximateReceiveCount, which also counts receives on the DLQ (peeks included).
   */
  receiveCount: number | undefined;
  /** The queue it came from: the `deadLetter` attribute, else SQS's DeadLetterQueueSourceArn. */
  sourceQueueArn: string | undefined;
  /**
   * SentTimestamp: the original send for a message SQS moved, the dead-lettering for one a handler
   * wrote (a handler sends a new message to the DLQ).
   */
  sentAt: string | undefined;
  /** When the handler gave up (`failedAt`); unknown for a message SQS moved. */
  deadLetteredAt: string | undefined;
}

export interface DeadLetterDetail extends DeadLetterSummary {
  /** Our own error text (ids only) or an AWS service error's, from the `deadLetter` attribute. */
  errorMessage: string | undefined;
  functionName: string | undefined;
  bodyBytes: number;
  /** `json-object` when the body parses as a JSON object (then bodyFields lists its keys). */
  bodyFormat: 'json-object' | 'json-other' | 'not-json';
  /** The body's top-level field names, sorted; names only, never values. */
  bodyFields: string[];
  /** Top-level keys left out of bodyFields because they do not look like field names. */
  otherBodyKeys: number;
}

/** Lists up to `max` dead letters of a queue without consuming them (see `peek`). */
export async function listDeadLetters(
  sqs: SQSClient,
  dlqUrl: string,
  options: { max: number },
): Promise<DeadLetterSummary[]> {
  const summaries: DeadLetterSummary[] = [];
  await peek(sqs, dlqUrl, options.max, (message) => {
    summaries.push(summaryOf(message));
    return true;
  });
  return summaries;
}

/** One dead letter by its SQS message id, without consuming it; undefined if it is not in the queue. */
export async function inspectDeadLetter(
  sqs: SQSClient,
  dlqUrl: string,
  messageId: string,
  options: { max?: number } = {},
): Promise<DeadLetterDetail | undefined> {
  let detail: DeadLetterDetail | undefined;
  await peek(sqs, dlqUrl, options.max ?? Number.POSITIVE_INFINITY, (message) => {
    if (message.MessageId !== messageId) return true;
    detail = detailOf(message);
    return false;
  });
  return detail;
}

/**
 * Walks a queue without consuming it: receives (hiding each message for PEEK_VISIBILITY_SECONDS so
 * the next receive returns others), hands each message once to `visit` (de-duplicated by
 * MessageId), and stops at `max` messages, when `visit` returns false, when a receive finds nothing
 * (receives long-poll for 1 s, so SQS asks all its servers) or only messages already seen. Then
 * every message received is made visible again at once. No message is deleted.
 */
async function peek(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  visit: (message: Message) => boolean,
): Promise<void> {
  const held = new Map<string, string>();
  try {
    while (held.size < max) {
      const batch = await receive(sqs, queueUrl, max - held.size, PEEK_VISIBILITY_SECONDS);
      if (batch.length === 0) return;
      let fresh = 0;
      let stop = false;
      for (const message of batch) {
        if (!message.MessageId || !message.ReceiptHandle) continue;
        const seen = held.has(message.MessageId);
        held.set(message.MessageId, message.ReceiptHandle);
        if (seen || stop) continue;
        fresh++;
        if (!visit(message)) stop = true;
      }
      if (stop || fresh === 0) return;
    }
  } finally {
    await makeVisible(sqs, queueUrl, [...held.values()]);
  }
}

function summaryOf(message: Message): DeadLetterSummary {
  const raw = deadLetterAttributeOf(message);
  const info = deadLetterInfoOfMessage(message);
  const system = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    submissionId: message.MessageAttributes?.[SUBMISSION_ID_ATTRIBUTE]?.StringValue,
    reason: info?.reason ?? (raw === undefined ? REDRIVE_POLICY_REASON : UNREADABLE_REASON),
    errorName: info?.errorName,
    fields: info?.fields ?? [],
    receiveCount: info?.receiveCount ?? numberOf(system.ApproximateReceiveCount),
    sourceQueueArn: sourceQueueArnOf(message, info),
    sentAt: isoOf(system.SentTimestamp),
    deadLetteredAt: info?.failedAt,
  };
}

/** A key that reads as a field name (letters, digits, `_`, `-`); any other key is only counted. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const MAX_BODY_FIELDS = 50;

function detailOf(message: Message): DeadLetterDetail {
  const info = deadLetterInfoOfMessage(message);
  const body = message.Body ?? '';
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(body);
  } catch {
    isJson = false;
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const keys = isObject ? Object.keys(parsed as object) : [];
  const bodyFields = keys
    .filter((key) => FIELD_NAME.test(key))
    .sort()
    .slice(0, MAX_BODY_FIELDS);
  return {
    ...summaryOf(message),
    errorMessage: info?.errorMessage,
    functionName: info?.functionName,
    bodyBytes: Buffer.byteLength(body, 'utf8'),
    bodyFormat: isObject ? 'json-object' : isJson ? 'json-other' : 'not-json',
    bodyFields,
    otherBodyKeys: keys.length - bodyFields.length,
  };
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isoOf(epochMillis: string | undefined): string | undefined {
  const millis = numberOf(epochMillis);
  return millis === undefined ? undefined : new Date(millis).toISOString();
}
