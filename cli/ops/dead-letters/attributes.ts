import type { Message } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_ATTRIBUTE, deadLetterInfoOf, type DeadLetterInfo } from '#runtime/dead-letter';

/**
 * What a dead letter says about itself, from its attributes: the `deadLetter` message attribute the
 * handlers write (functions/runtime/dead-letter.ts defines it) and SQS's system attributes. Never
 * its body.
 */

/** The raw `deadLetter` attribute; undefined for a message SQS moved by its redrive policy. */
export function deadLetterAttributeOf(message: Message): string | undefined {
  return message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTE]?.StringValue;
}

/** The `deadLetter` attribute read as a DeadLetterInfo; undefined when absent or unreadable. */
export function deadLetterInfoOfMessage(message: Message): DeadLetterInfo | undefined {
  return deadLetterInfoOf(deadLetterAttributeOf(message));
}

/** The queue a dead letter came from: the `deadLetter` attribute, else SQS's DeadLetterQueueSourceArn. */
export function sourceQueueArnOf(
  message: Message,
  info: DeadLetterInfo | undefined = deadLetterInfoOfMessage(message),
): string | undefined {
  return info?.sourceQueueArn ?? message.Attributes?.DeadLetterQueueSourceArn;
}
