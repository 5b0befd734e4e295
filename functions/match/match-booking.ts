import type { Context, SQSRecord } from 'aws-lambda';
import { BookingSubmissionSchema } from '#core/schemas/booking';
import { parseJsonBody, parseMessage } from '#runtime/sqs-batch';
import type { IdempotentSearch } from './idempotent-search';

/** One message off the bookings queue: a valid booking is searched once (idempotent-search.ts). */
export async function matchBooking(
  record: SQSRecord,
  context: Context,
  idempotent: () => IdempotentSearch,
): Promise<void> {
  const booking = parseMessage(BookingSubmissionSchema, parseJsonBody(record), record.messageId, 'booking');
  const { config, search } = idempotent();
  config.registerLambdaContext(context);
  await search(booking);
}
