import * as z from '#core/zod';

/**
 * Why a message is in a dead-letter queue, carried with it as one SQS message attribute (JSON), so
 * an operator sees the reason next to the message without searching the logs. Only ids, error
 * classes and field paths: never the message body or any value from it.
 */
export const DEAD_LETTER_ATTRIBUTE = 'deadLetter';

/** The message attribute that names the booking a message is about (set by every sender). */
export const SUBMISSION_ID_ATTRIBUTE = 'submissionId';

export const DeadLetterReasonSchema = z.enum([
  /** The message can never be processed (invalid JSON, invalid booking or match result, unknown policy). */
  'poison',
  /** Every receive failed with a transient error (throttling, a service error, a timeout). */
  'retries-exhausted',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReasonSchema>;

export const DeadLetterInfoSchema = z.strictObject({
  reason: DeadLetterReasonSchema,
  /** The error's class, e.g. PoisonMessageError, ProvisionedThroughputExceededException. */
  errorName: z.string().check(z.maxLength(200)),
  /** Our own error text (ids only) or an AWS service error's; absent for any other error. */
  errorMessage: z.optional(z.string().check(z.maxLength(1000))),
  /** Paths of the wrong fields, e.g. `fingers.0.template.minutiae.3.x`. */
  fields: z.optional(z.array(z.string().check(z.maxLength(300))).check(z.maxLength(50))),
  /** ARN of the queue the message came from: where a redrive sends it back. */
  sourceQueueArn: z.string().check(z.maxLength(300)),
  /** Receives of the message before it was dead-lettered. */
  receiveCount: z.number().check(z.int(), z.gte(0)),
  /** The function that gave up on it. */
  functionName: z.string().check(z.maxLength(200)),
  failedAt: z.iso.datetime(),
});
export type DeadLetterInfo = z.infer<typeof DeadLetterInfoSchema>;

/** Reads the reason of a dead letter; undefined when SQS moved it by its redrive policy (no reason). */
export function deadLetterInfoOf(attributeValue: string | undefined): DeadLetterInfo | undefined {
  if (attributeValue === undefined) return undefined;
  try {
    const parsed = DeadLetterInfoSchema.safeParse(JSON.parse(attributeValue));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
