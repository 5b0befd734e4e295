import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { RECORD_EVENT } from '#functions/definitions';
import type { EventPublisher } from '#core/ports';
import type { OutcomeRecord } from '#core/schemas';
import { eventBridgeClient, sqsClient } from '#runtime/clients';
import { functionEnvironment } from '#runtime/read-environment';

/**
 * Publishes a record for downstream systems. On AWS: PutEvents on the records bus. Locally, where no
 * EventBridge emulator runs, the same envelope goes to a queue that stands in for a bus rule's target.
 */
export async function publishRecordEvent(record: OutcomeRecord): Promise<void> {
  const detail = JSON.stringify(record);
  const busName = functionEnvironment.eventBusName();
  if (busName) {
    const result = await eventBridgeClient().send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: busName, Source: RECORD_EVENT.source, DetailType: RECORD_EVENT.detailType, Detail: detail },
        ],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      const code = result.Entries?.[0]?.ErrorCode ?? 'unknown';
      throw new Error(`EventBridge rejected the record event (${code})`);
    }
    return;
  }
  const localQueueUrl = functionEnvironment.localEventsQueueUrl();
  if (!localQueueUrl) throw new Error('Neither EVENT_BUS_NAME nor SC_LOCAL_EVENTS_QUEUE_URL is set');
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: localQueueUrl,
      MessageBody: JSON.stringify({
        source: RECORD_EVENT.source,
        'detail-type': RECORD_EVENT.detailType,
        detail: record,
      }),
    }),
  );
}

/** The records bus (or its local stand-in) through the decide step's port. */
export const recordEventPublisher: EventPublisher = { publishRecordEvent };
