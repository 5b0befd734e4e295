import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BookingSubmission } from '#core/schemas';
import { IDEMPOTENCY_EXPIRY_SECONDS } from '#functions/definitions';
import { dynamoClient } from '#runtime/clients';
import { functionEnvironment } from '#runtime/read-environment';
import type { SearchSummary } from './search-and-forward';

export interface IdempotentSearch {
  config: IdempotencyConfig;
  search: (booking: BookingSubmission) => Promise<SearchSummary>;
}

/**
 * Idempotency on the business key, with Powertools' DynamoDB persistence layer rather than the
 * conditional writes the decide step relies on: this step's effect is a message, which cannot be
 * written conditionally, and its work is the expensive part of the pipeline (a search reads megabytes
 * of index). A redelivered booking whose search finished is answered from the stored summary, with
 * no second search and no second match result; one whose search is running (a copy delivered in the
 * same batch, or after the visibility timeout) fails with IdempotencyAlreadyInProgressError and comes
 * back later. The lock expires with the function's remaining time (registerLambdaContext), so a
 * crashed or timed-out attempt does not block the booking.
 *
 * Built on first use, when the local runtime has set the environment.
 */
export function idempotentSearch(
  search: (booking: BookingSubmission) => Promise<SearchSummary>,
): () => IdempotentSearch {
  let built: IdempotentSearch | undefined;
  return () => {
    if (!built) {
      const config = new IdempotencyConfig({
        eventKeyJmesPath: 'submissionId',
        expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
      });
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName: functionEnvironment.idempotencyTableName(),
        awsSdkV3Client: dynamoClient(),
      });
      built = { config, search: makeIdempotent(search, { persistenceStore, config }) };
    }
    return built;
  };
}
