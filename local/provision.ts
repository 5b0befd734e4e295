import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  ResourceInUseException,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  QUEUES,
  TABLES,
  dlqName,
  physicalName,
  visibilityTimeoutSeconds,
  type QueueDefinition,
  type TableDefinition,
} from '#functions/definitions';

export interface LocalQueue {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
  definition: QueueDefinition;
}

export interface LocalResources {
  tables: { gallery: string; records: string; idempotency: string };
  queues: { bookings: LocalQueue; decisions: LocalQueue };
  /** Stands in for the EventBridge bus: each record event lands here. */
  eventsQueueUrl: string;
  /** Stands in for the audit log group: each audit entry lands here. */
  auditQueueUrl: string;
}

const DAY_SECONDS = 24 * 60 * 60;

/** CreateTable input from the same definition the CDK stack builds its table from. */
export function createTableInput(prefix: string, table: TableDefinition): CreateTableCommandInput {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]));
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: physicalName(prefix, table.name),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

async function createTable(client: DynamoDBClient, prefix: string, table: TableDefinition): Promise<string> {
  const input = createTableInput(prefix, table);
  let created = true;
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    created = false;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: input.TableName });
  if (table.timeToLiveAttribute && created) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: input.TableName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return input.TableName as string;
}

async function createQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl as string;
  const described = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: described.Attributes?.QueueArn as string };
}

/** Local departures from the stack's settings, for tests of timing faults. */
export interface ResourceOverrides {
  /** Visibility timeout of both queues (the stack derives it from the function timeout). */
  visibilityTimeoutSeconds?: number;
}

/** A queue and its DLQ with the redrive policy, retention and visibility timeout of the stack. */
async function createQueueWithDlq(
  client: SQSClient,
  prefix: string,
  queue: QueueDefinition,
  overrides: ResourceOverrides,
): Promise<LocalQueue> {
  const dlq = await createQueue(client, physicalName(prefix, dlqName(queue)), {
    MessageRetentionPeriod: String(queue.dlqRetentionDays * DAY_SECONDS),
  });
  const main = await createQueue(client, physicalName(prefix, queue.name), {
    MessageRetentionPeriod: String(queue.retentionDays * DAY_SECONDS),
    VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(queue.consumer)),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
  });
  return { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn, definition: queue };
}

/** Creates (or finds) every table and queue of the pipeline under a name prefix. */
export async function createLocalResources(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  prefix: string,
  overrides: ResourceOverrides = {},
): Promise<LocalResources> {
  const [gallery, records, idempotency] = await Promise.all([
    createTable(clients.dynamodb, prefix, TABLES.gallery),
    createTable(clients.dynamodb, prefix, TABLES.records),
    createTable(clients.dynamodb, prefix, TABLES.idempotency),
  ]);
  const bookings = await createQueueWithDlq(clients.sqs, prefix, QUEUES.bookings, overrides);
  const decisions = await createQueueWithDlq(clients.sqs, prefix, QUEUES.decisions, overrides);
  const events = await createQueue(clients.sqs, physicalName(prefix, 'record-events'), {});
  const audit = await createQueue(clients.sqs, physicalName(prefix, 'audit-trail'), {
    MessageRetentionPeriod: String(14 * DAY_SECONDS),
  });
  return {
    tables: { gallery, records, idempotency },
    queues: { bookings, decisions },
    eventsQueueUrl: events.url,
    auditQueueUrl: audit.url,
  };
}
