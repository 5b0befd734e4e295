import type { Context, SQSRecord } from 'aws-lambda';
import { BookingSubmissionSchema } from '#core/schemas/booking';
import { PoisonMessageError, parseJsonBody } from '#runtime/sqs-batch';
import type { IdempotentSearch } from './idempotent-search';

/** One message off the bookings queue: a valid booking is searched once (idempotent-search.ts). */
export async function matchBooking(
  record: SQSRecord,
  context: Context,
  idempotent: () => IdempotentSearch,
): Promise<void> {
  const parsed = BookingSubmissionSchema.safeParse(parseJsonBody(record));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
    throw new PoisonMessageError(`Message ${record.messageId} is not a valid booking`, fields);
  }
  const { config, search } = idempotent();
  config.registerLambdaContext(context);
  await search(parsed.data);
}
